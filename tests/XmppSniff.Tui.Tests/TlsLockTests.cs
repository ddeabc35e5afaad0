using Terminal.Gui.Input;

namespace XmppSniff.Tui.Tests;

/// <summary>The connection list's lock: TLS flows are "tls-locked" until a key log decrypts them.</summary>
public class TlsLockTests
{
    [Fact]
    public void Tls_connections_are_locked_without_a_key_log()
    {
        using var screen = new Screen("xmpp-tls13.pcap", width: 200);
        string[] rows = screen.Lines.Where(l => l.Contains("127.0.0.1:1522")).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.All(rows, row => Assert.Contains("tls-locked", row));
    }

    [Fact]
    public void A_key_log_unlocks_them_and_the_filter_finds_them_by_the_lock()
    {
        using var screen = new Screen("xmpp-tls13.pcap", width: 200, keylog: "xmpp-tls13.keylog");
        string[] rows = screen.Lines.Where(l => l.Contains("127.0.0.1:1522")).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.All(rows, row => Assert.Contains("tls-unlocked", row));
        Assert.DoesNotContain("tls-locked", screen.Text);

        screen.Press(new Key('/')).Type("tls-locked").Press(Key.Enter);
        Assert.DoesNotContain(screen.Lines, l => l.Contains("127.0.0.1:1522"));
    }
}
