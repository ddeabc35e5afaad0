namespace XmppSniff.Capture.Live;

/// <summary>A live capture cannot start or go on; the message is one line that says what to do.</summary>
public sealed class LiveCaptureException(string message, Exception? inner = null) : Exception(message, inner);
