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
}

/// <summary>The scope that stands for the admin API, in tokens and in access-token scope limits.</summary>
public static class AdminScope
{
    public const string ResourceType = "admin";
    public const string ResourceName = "api";
    public const string Text = "admin:api:*";
}
