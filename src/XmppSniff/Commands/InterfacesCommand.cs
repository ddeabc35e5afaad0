using System.CommandLine;
using XmppSniff.Capture.Live;
using XmppSniff.Output;

namespace XmppSniff.Commands;

/// <summary>`xmppsniff interfaces`: the devices `capture -i` takes, with state, addresses and link type.</summary>
internal static class InterfacesCommand
{
    private sealed record Row(InterfaceInfo Info, string LinkType, bool IsDefault);

    private static readonly Column<Row>[] Columns =
    [
        new("name", r => r.Info.Name, 18),
        new("state", r => State(r.Info), 14),
        new("link_type", r => r.LinkType, 10),
        new("default", r => r.IsDefault, 7),
        new("addresses", r => string.Join(' ', r.Info.Addresses), 44),
        new("hardware_address", r => r.Info.HardwareAddress, 17, false, "mac"),
        new("description", r => r.Info.Description),
    ];

    public static Command Create()
    {
        var format = CommonOptions.Format();
        var command = new Command("interfaces", "List the interfaces `capture -i` can use: state, link type, addresses.") { format };
        command.SetAction(result => CommandRunner.Run(() =>
        {
            IReadOnlyList<InterfaceInfo> all = NetworkInterfaces.List();
            InterfaceInfo? chosen = NetworkInterfaces.Default(all);
            using StreamWriter stdout = StandardOutput.Open();
            RecordWriter<Row> writer = OutputFormats.Create(result.GetValue(format) ?? OutputFormats.Default, stdout, Columns);
            bool unknownLinks = false;
            foreach (InterfaceInfo info in all)
            {
                // The link type is known only once a device is open, which needs the rights to capture.
                int? dlt = NetworkInterfaces.DataLink(info.Name);
                unknownLinks |= dlt is null;
                writer.Write(new Row(info, dlt is { } d ? DataLinks.Name(d) : "?", info == chosen));
            }
            writer.Finish();
            if (unknownLinks)
                Console.Error.WriteLine("xmppsniff: link type \"?\": the interface could not be opened (down, or no permission to capture)");
            return CommandRunner.Ok;
        }));
        return command;
    }

    private static string State(InterfaceInfo i) =>
        string.Join(',', new[] { i.Up ? "up" : "down", i.Running ? "running" : null, i.Loopback ? "loopback" : null, i.Wireless ? "wireless" : null }
            .Where(s => s is not null));
}
