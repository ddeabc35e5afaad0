namespace XmppSniff.Analysis.Lifecycle;

/// <summary>
/// Zeek's history string: each event letter once per side in order of first occurrence,
/// upper case for the client, lower case for the server, '^' when the roles were flipped.
/// </summary>
public struct History
{
    private ulong _seen;
    private string _text;

    /// <summary>Adds <paramref name="letter"/> (upper case, or '^') unless this side already has it.</summary>
    public void Add(char letter, bool fromClient)
    {
        int bit = letter == '^' ? 63 : (fromClient ? 0 : 26) + (letter - 'A');
        if ((_seen & (1UL << bit)) != 0) return; // the common case: one test, nothing built
        _seen |= 1UL << bit;
        _text = (_text ?? "") + (fromClient ? letter : char.ToLowerInvariant(letter));
    }

    /// <summary>Swaps client and server letters after a role flip, and marks the flip.</summary>
    public void Flip()
    {
        string old = _text ?? "";
        _seen = 0;
        _text = "";
        Add('^', true);
        foreach (char c in old)
            if (c != '^') Add(char.ToUpperInvariant(c), char.IsLower(c));
    }

    public override readonly string ToString() => _text ?? "";
}
