using XmppSniff.Capture;

namespace XmppSniff.Running;

/// <summary>Sees every frame of a capture as it is read, before decoding; called on the reading thread.</summary>
internal interface IFrameTap
{
    void Frame(in RawFrame frame);

    /// <summary>The source is quiet (or over): a chance to flush what was written.</summary>
    void Idle();
}
