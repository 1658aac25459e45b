using System.Net;
using System.Net.Sockets;

namespace AuthServer.Core.SignIn;

/// <summary>How a client's network address is written and how it is counted.</summary>
public static class ClientAddress
{
    /// <summary>The address as recorded: an IPv4 client reached over an IPv6 socket is written as IPv4.</summary>
    public static string? Display(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    /// <summary>
    /// The key failures and request rates are counted under. IPv4: the address. IPv6: its /64,
    /// because one subscriber is routinely given a whole /64 and could otherwise rotate through
    /// addresses to escape every per-address limit.
    /// </summary>
    public static string? Key(IPAddress? address)
    {
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    /// <summary>The key for an address an operator typed, or null when it is not an IP address.</summary>
    public static string? KeyOf(string text) => IPAddress.TryParse(text.Trim(), out var address) ? Key(address) : null;
}
