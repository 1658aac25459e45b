using System.ComponentModel.DataAnnotations;

namespace AuthServer.Core.Signing;

/// <summary>What the issued tokens say and for whom they are made.</summary>
public sealed class TokenOptions
{
    public const string Section = "AuthServer:Tokens";

    /// <summary>The <c>iss</c> claim; the registry's auth.token.issuer must be this exact string.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Issuer { get; set; } = "authserver";

    /// <summary>The realm named in the Basic challenge of a refused token request.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Realm { get; set; } = "AuthServer";

    /// <summary>The audiences tokens are issued for: each is a registry's auth.token.service.</summary>
    public List<ServiceOptions> Services { get; set; } = [];

    /// <summary>
    /// A token signed for exactly the same subject, audience, access and key within this many
    /// seconds is answered again instead of signing a new one (at most a sixtieth of the
    /// lifetime): the signature is most of a warm request's cost, and CI fleets ask for the same
    /// token many times a second. The answer keeps that token's issued_at, so clients see its
    /// true age. 0 signs every token afresh, each with its own jti.
    /// </summary>
    [Range(0, 60)]
    public int ReuseWindowSeconds { get; set; } = 10;

    public ServiceOptions? FindService(string name) =>
        Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}

public sealed class ServiceOptions
{
    public const int MinimumLifetimeSeconds = 60;

    /// <summary>Compared byte for byte with the <c>service</c> parameter and written as <c>aud</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = "";

    /// <summary>Token lifetime. Clients treat anything under 60 s as 60 s (token.md), and a
    /// multi-gigabyte push outlives a short token (docker_auth#240), so 60 s is the floor.</summary>
    [Range(MinimumLifetimeSeconds, 86400, ErrorMessage = "token lifetime must be between 60 and 86400 seconds")]
    public int TokenLifetimeSeconds { get; set; } = 900;
}
