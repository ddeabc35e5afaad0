namespace XmppSniff.Core;

/// <summary>A connection as its records name it: the flow's id and its two ends, one object shared by all of them.</summary>
public sealed record FlowEnds(long Flow, Endpoint Client, Endpoint Server);
