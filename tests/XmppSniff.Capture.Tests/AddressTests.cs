using System.Runtime.CompilerServices;
using XmppSniff.Core;

namespace XmppSniff.Capture.Tests;

public class AddressTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("fe80::1")]
    [InlineData("ffff:ffff:ffff:fffe:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::8:800:200c:417a")]
    public void An_address_keeps_its_family_and_text(string text)
    {
        Address address = Address.Parse(text);
        Assert.Equal(text.Contains(':'), address.IsV6);
        Assert.Equal(text, address.ToString());
        Span<byte> utf8 = stackalloc byte[Address.MaxTextLength];
        Assert.Equal(text, System.Text.Encoding.ASCII.GetString(utf8[..address.FormatUtf8(utf8)]));
        Assert.Equal(address, Address.Parse(text));
        Assert.Equal(address.GetHashCode(), Address.Parse(text).GetHashCode());
    }

    [Theory]
    [InlineData("255.255.255.255", 65535, "255.255.255.255:65535")]
    [InlineData("ffff:ffff:ffff:fffe:ffff:ffff:ffff:ffff", 65535, "[ffff:ffff:ffff:fffe:ffff:ffff:ffff:ffff]:65535")]
    [InlineData("::ffff:255.255.255.255", 0, "[::ffff:255.255.255.255]:0")]
    public void An_endpoint_prints_as_address_and_port_IPv6_in_brackets(string address, ushort port, string text)
    {
        var endpoint = new Endpoint(Address.Parse(address), port);
        Assert.Equal(text, endpoint.ToString());
        Span<byte> utf8 = stackalloc byte[Endpoint.MaxTextLength];
        Assert.Equal(text, System.Text.Encoding.ASCII.GetString(utf8[..endpoint.FormatUtf8(utf8)]));
    }

    [Fact]
    public void IPv4_and_IPv6_with_the_same_low_bits_differ_and_default_is_the_IPv4_any_address()
    {
        Assert.NotEqual(Address.Parse("0.0.0.1"), Address.Parse("::1"));
        Assert.False(default(Address).IsV6);
        Assert.Equal("0.0.0.0", default(Address).ToString());
    }

    [Fact]
    public void Addresses_sort_IPv4_first_then_by_value()
    {
        string[] sorted = ["0.0.0.0", "10.0.0.1", "10.0.0.2", "255.255.255.255", "::", "::1", "0:0:0:2::", "fe80::1", "ffff:ffff:ffff:fffe::"];
        Address[] addresses = [.. sorted.Reverse().Select(Address.Parse)];
        Array.Sort(addresses);
        Assert.Equal(sorted, addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void Keys_are_small_enough_to_be_copied_inline()
    {
        Assert.Equal(16, Unsafe.SizeOf<Address>());
        Assert.Equal(24, Unsafe.SizeOf<Endpoint>());
        Assert.Equal(56, Unsafe.SizeOf<FlowKey>());
    }
}
