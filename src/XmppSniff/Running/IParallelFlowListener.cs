using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>
/// A flow listener whose analysis can run on several threads at once (see <see cref="AnalysisLane"/>):
/// its end-of-flow work splits into finishing the flow's analysis, on the thread that analyses the
/// flow, and handing on the record, on one thread in the order flows ended; its analyzers send what
/// they emit through <see cref="Output"/>.
/// </summary>
internal interface IParallelFlowListener : IFlowListener
{
    /// <summary>What the listener sets as <see cref="Flow.Output"/> of the flows it starts.</summary>
    AnalyzerOutput Output { get; }

    /// <summary>The flow's record with what its analyzers learned (may emit records of its own).</summary>
    FlowRecord Finish(Flow flow, FlowRecord record);

    /// <summary>Passes a finished record on.</summary>
    void HandOn(Flow flow, FlowRecord record);
}
