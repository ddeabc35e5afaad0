using System.CommandLine;
using XmppSniff.Capture;
using XmppSniff.Capture.Files;

namespace XmppSniff.Commands;

/// <summary>
/// `xmppsniff inject-secrets IN OUT --keylog FILE`: copies a capture into a pcapng that carries the
/// key log in a Decryption Secrets Block before the first packet (as `editcap --inject-secrets
/// tls,FILE`), so the capture decrypts without the separate file.
/// </summary>
internal static class InjectSecretsCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("IN") { Description = "A pcap or pcapng capture file, gzip-compressed or not; - reads standard input." };
        var output = new Argument<FileInfo>("OUT") { Description = "The pcapng file to write (replaced if it exists)." };
        var keylog = new Option<FileInfo>("--keylog") { Description = "The NSS key log file (SSLKEYLOGFILE) to embed.", Required = true };
        var command = new Command("inject-secrets", "Write a copy of a capture as pcapng with a TLS key log embedded in it (Decryption Secrets Block).")
        {
            input, output, keylog,
        };
        command.SetAction(result => CommandRunner.Run(() =>
        {
            string keys = result.GetValue(keylog)!.FullName;
            byte[] secrets;
            try
            {
                secrets = File.ReadAllBytes(keys);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KeyLogException($"{keys}: cannot read the key log: {e.Message}");
            }
            if (new Analysis.Protocols.Tls.Decryption.TlsKeyLog().Add(secrets) == 0)
                Console.Error.WriteLine($"xmppsniff: warning: {keys}: no TLS secrets in this key log");

            string to = result.GetValue(output)!.FullName;
            using ICaptureReader reader = CaptureFile.Open(CommonOptions.CapturePath(result.GetValue(input)!));
            long frames = 0;
            using (var stream = new FileStream(to + ".tmp", FileMode.Create, FileAccess.Write))
            using (var buffered = new BufferedStream(stream, 1 << 16))
            {
                var writer = new PcapNgWriter(buffered, comment: "TLS key log embedded by xmppsniff inject-secrets");
                writer.WriteDecryptionSecrets(PcapNgWriter.TlsKeyLogSecrets, secrets);
                while (reader.TryRead(out RawFrame frame))
                {
                    int snap = reader.Interfaces.Count > frame.InterfaceId ? reader.Interfaces[frame.InterfaceId].SnapLength : 262144;
                    writer.Write(frame.LinkType, frame.Time, frame.Data, frame.OriginalLength, snap > 0 ? snap : 262144);
                    frames++;
                }
            }
            File.Move(to + ".tmp", to, overwrite: true);
            foreach (string warning in reader.Warnings) Console.Error.WriteLine($"xmppsniff: warning: {reader.Path}: {warning}");
            Console.Error.WriteLine($"xmppsniff: wrote {to}: {frames} frames and {secrets.Length} bytes of TLS secrets");
            return CommandRunner.Ok;
        }));
        return command;
    }
}
