namespace XmppSniff.Analysis.Lifecycle;

/// <summary>
/// Zeek's history string: each event letter once per side in order of first occurrence,
/// upper case for the client, lower case for the server, '^' when the roles were flipped.
/// </summary>
public struct History
{
    private ulong _seen;
    private string _text;

    public void Add(char letter, bool fromClient)
    {
        char c = fromClient ? char.ToUpperInvariant(letter) : char.ToLowerInvariant(letter);
        int bit = c == '^' ? 63 : (fromClient ? 0 : 26) + (char.ToUpperInvariant(letter) - 'A');
        if ((_seen & (1UL << bit)) != 0) return;
        _seen |= 1UL << bit;
        _text = (_text ?? "") + c;
    }

    /// <summary>Swaps client and server letters after a role flip, and marks the flip.</summary>
    public void Flip()
    {
        string old = _text ?? "";
        _seen = 0;
        _text = "";
        Add('^', true);
        foreach (char c in old)
            if (c != '^') Add(c, char.IsLower(c));
    }

    public override readonly string ToString() => _text ?? "";
}
