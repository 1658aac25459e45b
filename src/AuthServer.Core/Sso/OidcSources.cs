namespace AuthServer.Core.Sso;

/// <summary>The user source of an OpenID Connect provider's users: <c>oidc:NAME</c>.</summary>
public static class OidcSources
{
    public const string Prefix = "oidc:";

    public static string Of(string provider) => Prefix + provider;

    public static bool IsOidc(string source) => source.StartsWith(Prefix, StringComparison.Ordinal);
}
