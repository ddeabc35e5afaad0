namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Nodes for the tree of one element at a time, reused for the next element's tree: a stanza's tree is
/// read only while the stanza is described (what outlives that is strings and slices of its bytes), and
/// a fresh tree for every stanza was a quarter of everything the stanza path allocated.
/// </summary>
public sealed class XmlNodePool
{
    // An element with more nodes than this gets fresh ones for the rest, so the pool stays small after a huge one.
    private const int MaxKept = 4096;

    [ThreadStatic] private static XmlNodePool? t_pool;

    private readonly List<XmlNode> _nodes = [];
    private int _used;
    private bool _lent;

    /// <summary>This thread's pool, or null while a tree from it is still in use (a nested element gets fresh nodes).</summary>
    public static XmlNodePool? Lend()
    {
        XmlNodePool pool = t_pool ??= new();
        if (pool._lent) return null;
        pool._lent = true;
        return pool;
    }

    /// <summary>The tree built from this pool is no longer read: its nodes let go of it and may be reused.</summary>
    public void Return()
    {
        for (int i = 0; i < _used; i++) _nodes[i].Release();
        _used = 0;
        _lent = false;
    }

    internal XmlNode Take(string name, string localName, string ns)
    {
        if (_used < _nodes.Count)
        {
            XmlNode node = _nodes[_used++];
            node.Rename(name, localName, ns);
            return node;
        }
        var fresh = new XmlNode(name, localName, ns);
        if (_nodes.Count < MaxKept)
        {
            _nodes.Add(fresh);
            _used++;
        }
        return fresh;
    }
}
