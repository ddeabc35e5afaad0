using Terminal.Gui.Input;
using XmppSniff.Tui.Model;
using XmppSniff.Tui.Views;

namespace XmppSniff.Tui.Tests;

/// <summary>The explorer as a user sees it: sample captures opened headless, keys pressed, the screen text read.</summary>
public class ExplorerScreenTests
{
    [Fact]
    public void Opening_a_capture_lists_its_connections_with_lifecycle_columns()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        string text = screen.Text;
        Assert.Contains("[1 Connections]", text);
        string[] rows = screen.Lines.Where(l => l.Contains("127.0.0.1:15222")).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Contains("127.0.0.1:59136", rows[0]);
        Assert.Contains("xmpp", rows[0]);
        Assert.Contains(" SF ", rows[0]);
        Assert.Contains("long", rows[0]);
        Assert.Contains("127.0.0.1:59150", rows[1]);
    }

    [Fact]
    public void Pressing_2_shows_the_stanzas_with_redacted_sasl()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        string text = screen.Press(Key.D2).Text;
        Assert.Equal(1, screen.Window.CurrentView);
        Assert.Contains("[2 Stanzas]", text);
        Assert.Contains("iq result bind romeo@localhost/balcony", text);
        Assert.Contains("SASL auth PLAIN [32 chars redacted]", text);
    }

    [Fact]
    public void Enter_on_a_connection_draws_its_ladder_from_the_handshake_to_the_close()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        string[] lines = screen.Press(Key.Enter).Lines;
        Assert.Equal(DetailKind.Ladder, screen.Window.Detail);
        Assert.Contains(lines, l => l.StartsWith("flow 1  tcp  127.0.0.1:59136 → 127.0.0.1:15222", StringComparison.Ordinal));
        int syn = Array.FindIndex(lines, l => l.Contains("──SYN ─") && l.Contains('▶') && l.EndsWith("#1"));
        int synAck = Array.FindIndex(lines, l => l.Contains("SYN/ACK──") && l.Contains('◀') && l.EndsWith("#2"));
        int auth = Array.FindIndex(lines, l => l.Contains("──<auth> 104 B") && l.Contains('▶'));
        Assert.True(syn > 0 && synAck == syn + 1 && auth > synAck, string.Join('\n', lines));
        Assert.Contains(lines, l => l.Contains("<iq result>") && l.Contains('◀'));

        // The close is on the last page.
        string end = string.Join('\n', screen.Press(Key.End).Lines);
        Assert.Contains("closed by", end);
        Assert.Contains("FIN", end);
    }

    [Fact]
    public void Down_then_Enter_opens_the_second_connection()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        screen.Press(Key.CursorDown);
        Assert.Equal(1, screen.Window.SelectedRow);
        string text = screen.Press(Key.Enter).Text;
        Assert.Contains("flow 2  tcp  127.0.0.1:59150", text);
    }

    [Fact]
    public void Esc_goes_back_from_a_page_to_the_table_and_never_quits()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        screen.Press(Key.CursorDown, Key.Enter, Key.Esc);
        Assert.Equal(DetailKind.None, screen.Window.Detail);
        Assert.Equal(1, screen.Window.SelectedRow);
        Assert.True(screen.Window.IsRunning);
        screen.Press(Key.Esc);
        Assert.True(screen.Window.IsRunning);
    }

    [Fact]
    public void A_reset_connection_ends_its_ladder_with_RST()
    {
        using var screen = new Screen("tcp-reset.pcap");
        string text = screen.Press(Key.Enter, Key.End).Text;
        Assert.Contains(screen.Lines, l => l.Contains("──RST ─") && l.Contains('▶'));
        Assert.Contains("closed by client (RST); state RSTO", text);
    }

    [Fact]
    public void Follow_of_an_xmpp_connection_shows_both_sides_pretty_printed()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        string[] lines = screen.Press(Key.Enter, new Key('f')).Lines;
        Assert.Equal(DetailKind.Follow, screen.Window.Detail);
        int mechanisms = Array.FindIndex(lines, l => l.TrimStart().StartsWith("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>", StringComparison.Ordinal));
        Assert.True(mechanisms > 0, string.Join('\n', lines));
        // Server lines are indented, children one step further.
        Assert.StartsWith("    <stream:features>", lines[mechanisms - 1]);
        Assert.StartsWith("        <mechanism>PLAIN</mechanism>", lines[mechanisms + 1]);
        Assert.Contains(lines, l => l.StartsWith("<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">[redacted 32 bytes]</auth>", StringComparison.Ordinal));
    }

    [Fact]
    public void Follow_of_an_http_connection_replays_the_reassembled_bytes()
    {
        using var screen = new Screen("http-python-curl.pcap");
        string text = screen.Press(new Key('f')).Text;
        Assert.Contains("follow flow 1", text);
        Assert.Contains(">>> client", text);
        Assert.Contains("<<< server", text);
        Assert.Contains(screen.Lines, l => l.StartsWith("GET /", StringComparison.Ordinal));
        Assert.Contains(screen.Lines, l => l.StartsWith("    HTTP/1.", StringComparison.Ordinal));
    }

    [Fact]
    public void Underscores_in_the_file_name_and_the_filter_are_shown_as_they_are()
    {
        var model = new CaptureModel("xmpp_c2s_multi_session.pcapng");
        using var screen = new Screen(model);
        Assert.Contains("xmpp_c2s_multi_session.pcapng", screen.Text);
        screen.Press(new Key('/')).Type("juliet_x").Press(Key.Enter);
        Assert.Contains("filter: juliet_x", screen.Text);
    }

    [Fact]
    public void Filter_bar_narrows_the_table_and_says_why_a_filter_is_invalid()
    {
        using var screen = new Screen("echo-modes.pcap");
        int all = screen.Lines.Count(l => l.Contains(":17101"));
        screen.Press(new Key('/')).Type("kind=long").Press(Key.Enter);
        string[] rows = screen.Lines.Where(l => l.Contains(":17101")).ToArray();
        Assert.NotEmpty(rows);
        Assert.True(rows.Length < all);
        Assert.All(rows, r => Assert.Contains("long", r));
        Assert.Contains("filter: kind=long", screen.Text);

        screen.Press(new Key('/')).Type(" colour=red");
        Assert.Contains("unknown field 'colour'", screen.Text);
        screen.Press(Key.Esc);
        Assert.Equal(rows.Length, screen.Lines.Count(l => l.Contains(":17101")));
    }

    [Fact]
    public void Filter_by_state_keeps_only_resets()
    {
        using var screen = new Screen("tcp-reset.pcap");
        screen.Press(new Key('/')).Type("state=RSTR").Press(Key.Enter);
        string[] rows = screen.Lines.Where(l => l.Contains("127.0.0.1:170")).ToArray();
        Assert.Single(rows);
        Assert.Contains("127.0.0.1:17032", rows[0]);
    }

    [Fact]
    public void x_on_a_connection_lists_only_its_stanzas()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        screen.Press(Key.CursorDown, new Key('x'));
        Assert.Equal(1, screen.Window.CurrentView);
        string[] rows = screen.Lines.Skip(3).Where(l => l.Contains('→') || l.Contains('←')).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Matches(@"^\S+\s+2\s", r));
    }

    [Fact]
    public void Enter_on_a_stanza_shows_its_xml_tree_and_the_paired_iq()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        screen.Press(Key.D2, new Key('/')).Type("name=iq type=set").Press(Key.Enter, Key.Enter);
        string text = screen.Text;
        Assert.Equal(DetailKind.Stanza, screen.Window.Detail);
        Assert.Contains("stanza <iq>  flow 1  client → server", text);
        Assert.Contains("answered by iq type=result", text);
        Assert.Contains("  <bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>", text.Replace('"', '\''));
    }

    [Fact]
    public void Packets_view_lists_frames_and_Enter_dissects_one()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        string list = screen.Press(Key.D3).Text;
        Assert.Contains("[SYN] seq=", list);
        Assert.Contains("[SYN, ACK] seq=", list);
        string text = screen.Press(Key.CursorDown, Key.CursorDown, Key.CursorDown, Key.Enter).Text;
        Assert.Equal(DetailKind.Packet, screen.Window.Detail);
        Assert.Contains("frame 4 ", text);
        Assert.Contains("destination port = 15222", text);
        Assert.Contains(screen.Window.PageLines, l => l.Text.StartsWith("0000  ", StringComparison.Ordinal));
    }

    [Fact]
    public void Http_view_lists_transactions_and_Enter_opens_the_connection()
    {
        using var screen = new Screen("http-python-curl.pcap");
        string text = screen.Press(Key.D4).Text;
        Assert.Contains("[4 HTTP]", text);
        Assert.Contains(screen.Lines, l => l.Contains(" GET ") && l.Contains(" 200 "));
        screen.Press(Key.Enter);
        Assert.Equal(DetailKind.Ladder, screen.Window.Detail);
        Assert.Contains(screen.Lines, l => l.Contains("──GET /") && l.Contains('▶'));
        Assert.Contains(screen.Lines, l => l.Contains("200 OK") && l.Contains('◀'));
    }

    [Fact]
    public void Stats_view_shows_the_protocol_mix_and_states()
    {
        using var screen = new Screen("tcp-reset.pcap");
        string text = screen.Press(Key.D5).Text;
        Assert.Contains("[5 Stats]", text);
        Assert.Contains("protocol mix", text);
        Assert.Matches(@"tcp/echo\s+1", text);
        Assert.Matches(@"RSTO\s+1", text);
        Assert.Matches(@"RSTR\s+1", text);
    }

    [Fact]
    public void Question_mark_shows_every_key_and_Esc_closes_it()
    {
        using var screen = new Screen("tcp-reset.pcap");
        string help = screen.Press(new Key('?')).Text;
        Assert.Contains("xmppsniff: keys", help);
        Assert.Contains("filter the current view", help);
        string back = screen.Press(Key.Esc).Text;
        Assert.DoesNotContain("xmppsniff: keys", back);
        Assert.Contains("127.0.0.1:17031", back);
    }

    [Fact]
    public void Sort_puts_the_longest_connection_first()
    {
        using var screen = new Screen("echo-modes.pcap");
        screen.Press(new Key('s'));
        Assert.Contains("sorted: longest first", screen.Text);
        string first = screen.Lines.First(l => l.Contains(":17101"));
        double longest = screen.Model.Flows.Count > 0 ? Enumerable.Range(0, screen.Model.Flows.Count).Max(i => screen.Model.Flows[i].DurationSeconds) : 0;
        long id = Enumerable.Range(0, screen.Model.Flows.Count).Select(i => screen.Model.Flows[i]).First(f => f.DurationSeconds == longest).Id;
        Assert.StartsWith(id + " ", first);
    }

    [Fact]
    public void The_first_screen_is_readable_at_80x24()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap", 80, 24);
        string[] lines = screen.Lines;
        Assert.Equal(24, lines.Length);
        Assert.StartsWith("[1 Connections]", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("1  127.0.0.1:59136 127.0.0.1:15222 xmpp", StringComparison.Ordinal));
        Assert.Contains("q quit", lines[^1]);
        screen.Press(Key.Enter);
        Assert.Contains(screen.Lines, l => l.Contains("SYN/ACK") && l.Length <= 80);
    }

    [Fact]
    public void Number_keys_switch_views_and_q_stops_the_app()
    {
        using var screen = new Screen("udp-datagrams.pcap");
        foreach (var (key, view) in new[] { (Key.D3, 2), (Key.D5, 4), (Key.D1, 0), (Key.D4, 3), (Key.D2, 1) })
        {
            screen.Press(key);
            Assert.Equal(view, screen.Window.CurrentView);
        }
        Assert.False(screen.Window.QuitRequested);
        screen.Press(new Key('q'));
        Assert.True(screen.Window.QuitRequested);
    }

    [Fact]
    public void G_jumps_to_the_last_row_and_g_back_to_the_first()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        screen.Press(Key.D3, new Key('G'));
        Assert.Equal(screen.Model.Frames.Count - 1, screen.Window.SelectedRow);
        Assert.Contains($"{screen.Model.Frames.Count}/{screen.Model.Frames.Count}", screen.Text);
        screen.Press(new Key('g'));
        Assert.Equal(0, screen.Window.SelectedRow);
    }

    [Fact]
    public void A_click_on_a_row_selects_it_and_a_click_on_a_tab_switches_view()
    {
        using var screen = new Screen("echo-modes.pcap");
        // Row 0 is the tabs, 1 the header, 2 the rule: the fourth connection is on screen row 6.
        screen.Click(5, 6);
        Assert.Equal(3, screen.Window.SelectedRow);
        screen.Click(20, 0); // " 2 Stanzas " starts after "[1 Connections]"
        Assert.Equal(1, screen.Window.CurrentView);
    }

    [Fact]
    public void After_starttls_the_ladder_labels_the_data_as_tls()
    {
        using var screen = new Screen("xmpp-starttls.pcap");
        string[] lines = screen.Press(Key.Enter).Lines;
        int proceed = Array.FindIndex(lines, l => l.Contains("<proceed>"));
        Assert.True(proceed > 0, string.Join('\n', lines));
        Assert.DoesNotContain(lines.Take(proceed), l => l.Contains("TLS "));
        Assert.Contains(lines.Skip(proceed + 1), l => l.Contains("──TLS ") && l.Contains('▶'));
        Assert.Contains(lines.Skip(proceed + 1), l => l.Contains(" TLS ") && l.Contains('◀'));
    }

    [Fact]
    public void A_narrow_status_line_keeps_the_progress()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap", 80, 24);
        string status = screen.Lines[^1];
        Assert.Contains("? help", status);
        Assert.Contains("153 stanzas", status);
    }

    [Fact]
    public void p_goes_from_a_ladder_to_the_connections_packets_and_from_a_stanza_to_its_frame()
    {
        using var screen = new Screen("xmpp-prosody-slixmpp.pcap");
        screen.Press(Key.CursorDown, Key.Enter, new Key('p'));
        Assert.Equal(2, screen.Window.CurrentView);
        Assert.Contains("filter: flow=2", screen.Text);
        Assert.All(screen.Lines.Skip(3).Where(l => l.Contains("[")), l => Assert.Matches(@"^\d+\s+\S+\s+2\s", l));

        screen.Press(Key.D2, Key.CursorDown, Key.CursorDown, Key.CursorDown, Key.Enter); // SASL auth, frame 8
        Assert.Equal(DetailKind.Stanza, screen.Window.Detail);
        screen.Press(new Key('p'));
        Assert.Equal(2, screen.Window.CurrentView);
        Assert.Equal(7, screen.Window.SelectedRow);
    }
}
