using System.CommandLine;
using System.Net;

namespace XmppSniff.Commands;

/// <summary>Option helpers shared by echo-server and echo-client.</summary>
internal static class EchoOptions
{
    public static Option<IPAddress> Address(string name, string description, IPAddress? fallback)
    {
        var option = new Option<IPAddress>(name)
        {
            Description = description,
            CustomParser = result => IPAddress.TryParse(result.Tokens[0].Value, out IPAddress? address)
                ? address
                : Fail(result, $"{name}: '{result.Tokens[0].Value}' is not an IP address"),
        };
        if (fallback is not null) option.DefaultValueFactory = _ => fallback;
        return option;
    }

    public static void NotNegative<T>(Option<T> option) where T : struct, IComparable<T> =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>().CompareTo(default) < 0) result.AddError($"{option.Name} must not be negative");
        });

    public static void AtLeastOne(Option<int> option) =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError($"{option.Name} must be at least 1");
        });

    private static IPAddress Fail(System.CommandLine.Parsing.ArgumentResult result, string error)
    {
        result.AddError(error);
        return IPAddress.None;
    }
}
