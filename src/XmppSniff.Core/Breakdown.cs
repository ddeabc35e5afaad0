namespace XmppSniff.Core;

/// <summary>
/// Counts by a key the capture chose (a stanza's type, a SASL mechanism, an HTTP method), for the tallies: a
/// hostile capture could make every key different, so past <see cref="MaxKeys"/> keys the rest count as "other".
/// </summary>
public static class Breakdown
{
    public const int MaxKeys = 200;

    /// <summary><paramref name="key"/>, or "other" once <paramref name="counts"/> holds <see cref="MaxKeys"/> keys without it.</summary>
    public static TKey Bounded<TKey, TValue>(SortedDictionary<TKey, TValue> counts, TKey key, TKey other) where TKey : notnull =>
        counts.Count < MaxKeys || counts.ContainsKey(key) ? key : other;

    public static void Count(SortedDictionary<string, long> counts, string key)
    {
        key = Bounded(counts, key, "other");
        counts[key] = counts.GetValueOrDefault(key) + 1;
    }
}
