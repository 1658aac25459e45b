using System.Net;

namespace AuthServer.Core.SignIn;

/// <summary>Where a sign-in comes from: the address as recorded, and the key failures and shares are counted under.</summary>
/// <param name="Key">The IPv4 address or the IPv6 /64 (<see cref="ClientAddress.Key"/>); null when unknown.</param>
/// <param name="Display">The address as written in logs and the audit trail.</param>
public sealed record ClientSource(string? Key, string? Display)
{
    public static readonly ClientSource Unknown = new(null, null);

    public static ClientSource Of(IPAddress? address) => new(ClientAddress.Key(address), ClientAddress.Display(address));
}
