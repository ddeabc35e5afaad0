using XmppSniff.Capture.Live;

namespace XmppSniff.Tests.Shared;

/// <summary>
/// A test that captures on `lo`: skipped, with the reason, where libpcap is missing or capturing
/// is not allowed (not root). CI runs as root and installs libpcap0.8, so there they run.
/// Compiled into each test project that captures (tests/Shared).
/// </summary>
public sealed class LiveFactAttribute : FactAttribute
{
    public LiveFactAttribute()
    {
        if (LiveCaptureAvailable.Reason is { } reason) Skip = reason;
    }
}

internal static class LiveCaptureAvailable
{
    public static readonly string? Reason = Check();

    private static string? Check()
    {
        try
        {
            using LiveCapture live = LiveCapture.Open(new LiveOptions { Interface = "lo", Filter = "port 9" });
            return null;
        }
        catch (LiveCaptureException e)
        {
            return $"cannot capture on lo here ({e.Message}); these tests need root and libpcap0.8, as in CI";
        }
    }
}
