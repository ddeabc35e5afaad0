using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>After STARTTLS: the decrypted bytes are a new XML stream on each side (RFC 6120 §5.4.3.3).</summary>
public sealed partial class XmppAnalyzer
{
    /// <summary>Both sides open new streams inside TLS: forget the old stream's state, keep the session's (SASL, iqs, counts).</summary>
    private void RestartStream(FlowSide from)
    {
        XmppDirection d = Dir(from);
        d.Stopped = false;
        d.StreamOpen = false;
        d.InElement = false;
        d.Skipping = false;
        d.Scanned = 0;
        d.Carried = 0;
        d.Tokenizer = new XmlTokenizerState();
        d.Scope = NamespaceScope.Xml;
    }

    /// <summary>Feeds the XML reader the decrypted bytes, holding what it did not consume (as the host does for the connection's own bytes).</summary>
    private sealed class DecryptedXmpp(XmppAnalyzer owner) : ITlsPlaintextReader
    {
        private bool _clientStarted, _serverStarted;
        private bool _told;

        public void OnData(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at)
        {
            ref bool started = ref from == FlowSide.Client ? ref _clientStarted : ref _serverStarted;
            if (!started)
            {
                owner.RestartStream(from);
                started = true;
            }
            owner.ReadThrough(from, owner.Dir(from).Decrypted, data, at, Layer.Decrypted);
        }

        public void OnGap(FlowSide from, long length)
        {
            owner.Dir(from).Decrypted.Clear();
            if (from == FlowSide.Client ? _clientStarted : _serverStarted) owner.XmlGap(from, length);
        }

        public void OnUndecryptable(FlowSide from, string reason, StreamPosition at)
        {
            if (_told) return;
            _told = true;
            XmppDirection d = owner.Dir(from);
            var when = at.Time == 0 ? new StreamPosition(d.LastTime, d.CarriedFrame) : at;
            owner.Note(from, when, when.Frame, "tls", "TLS not decrypted: " + reason, 0, null);
        }

        public void End(FlowRecord record)
        {
            owner._c.Decrypted.Clear();
            owner._s.Decrypted.Clear();
        }

        public (string App, IReadOnlyDictionary<string, object?> Details)? Describe() => null;
    }
}
