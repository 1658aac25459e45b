using System.ComponentModel.DataAnnotations;

namespace AuthServer.Admin;

/// <summary>The admin API's own audience: Bearer tokens for it come from our /token like a registry's.</summary>
public sealed class AdminOptions
{
    public const string Section = "AuthServer:Admin";

    /// <summary>
    /// The <c>service</c> an administrator asks /token for (and the <c>aud</c> the API requires). It
    /// must differ from every registry's service, or a registry token would open the API.
    /// </summary>
    [Required(AllowEmptyStrings = false), MaxLength(255)]
    public string Audience { get; set; } = "authserver-admin";

    /// <summary>Lifetime of tokens issued for the admin audience: short, since they open everything.</summary>
    [Range(60, 86400)]
    public int TokenLifetimeSeconds { get; set; } = 300;

    /// <summary>
    /// This server's address as clients reach it (<c>https://auth.example.com</c>): the admin API's
    /// Bearer challenge names its /token, and browser requests that change state must come from
    /// this origin. Unset: the address the request arrived at (never the client's Host header).
    /// </summary>
    [Url]
    public string? PublicUrl { get; set; }

    /// <summary>The origin (scheme, host, port) of <see cref="PublicUrl"/> or, unset, of the local endpoint of <paramref name="http"/>.</summary>
    public string OriginFor(HttpContext http)
    {
        if (PublicUrl is { } configured && Uri.TryCreate(configured, UriKind.Absolute, out var url))
            return url.GetLeftPart(UriPartial.Authority);
        var local = http.Connection.LocalIpAddress;
        var host = local is null ? "localhost"
            : local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !local.IsIPv4MappedToIPv6 ? $"[{local}]"
            : (local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local).ToString();
        return $"{http.Request.Scheme}://{host}:{http.Connection.LocalPort}";
    }

    /// <summary>Where /token is for an admin API client: under <see cref="PublicUrl"/> (its path kept) or the local endpoint.</summary>
    public string TokenUrlFor(HttpContext http) =>
        PublicUrl is { } configured ? configured.TrimEnd('/') + "/token" : OriginFor(http) + http.Request.PathBase + "/token";
}

/// <summary>The scope that stands for the admin API, in tokens and in access-token scope limits.</summary>
public static class AdminScope
{
    public const string ResourceType = "admin";
    public const string ResourceName = "api";
    public const string Text = "admin:api:*";
}
