using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests;

internal static class RecordDetails
{
    /// <summary>What the flow's analyzer learned, as filed under its protocol's name.</summary>
    public static IReadOnlyDictionary<string, object?> AppDetails(this FlowRecord record) =>
        (IReadOnlyDictionary<string, object?>)record.Details![record.App]!;
}
