using System.Reflection;
using XmppSniff.Analysis.Protocols;

namespace XmppSniff.Analysis.Detection;

/// <summary>
/// The protocols the engine knows. Each protocol folder contributes a static <c>Descriptor</c>
/// property on a class in <c>XmppSniff.Analysis.Protocols.*</c>; the registry finds them, so adding
/// a protocol is adding a folder, not editing a list.
/// </summary>
public sealed class ProtocolRegistry(IReadOnlyList<ProtocolDescriptor> protocols)
{
    private static readonly Lazy<ProtocolRegistry> Discovered = new(() => new ProtocolRegistry(Discover()));

    /// <summary>Every protocol in this assembly, in order of name (so probing order is stable).</summary>
    public static ProtocolRegistry Default => Discovered.Value;

    public IReadOnlyList<ProtocolDescriptor> Protocols { get; } = protocols;

    private static List<ProtocolDescriptor> Discover() =>
        typeof(ProtocolRegistry).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("XmppSniff.Analysis.Protocols.", StringComparison.Ordinal) == true)
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(ProtocolDescriptor))
            .Select(p => (ProtocolDescriptor)p!.GetValue(null)!)
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
}
