using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Tls.Decryption;

/// <summary>Sees every piece of decrypted application data of every flow (e.g. `follow` printing the TLS stream, as tshark's follow,tls).</summary>
public delegate void TlsPlaintextTap(long flow, FlowSide from, ReadOnlySpan<byte> data, StreamPosition at);
