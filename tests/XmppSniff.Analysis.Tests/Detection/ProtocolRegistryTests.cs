using System.Reflection;
using XmppSniff.Analysis.Detection;
using XmppSniff.Analysis.Protocols;

namespace XmppSniff.Analysis.Tests.Detection;

public class ProtocolRegistryTests
{
    [Fact]
    public void Default_lists_every_protocol_descriptor_of_the_engine_once_in_order_of_name()
    {
        List<ProtocolDescriptor> declared = typeof(ProtocolRegistry).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(ProtocolDescriptor))
            .Select(p => (ProtocolDescriptor)p!.GetValue(null)!)
            .ToList();

        IReadOnlyList<ProtocolDescriptor> listed = ProtocolRegistry.Default.Protocols;

        Assert.Equal(declared.Select(d => d.Name).Order(StringComparer.Ordinal), listed.Select(d => d.Name));
        Assert.All(declared, d => Assert.Contains(d, listed));
    }
}
