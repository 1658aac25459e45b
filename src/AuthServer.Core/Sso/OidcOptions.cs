namespace AuthServer.Core.Sso;

/// <summary>
/// Single sign-on for people: browser sign-in through one or more OpenID Connect providers
/// (Keycloak, Dex, Entra ID...). A person signed in this way gets a user of that provider's
/// source and makes access tokens ("CLI secrets") for docker login, which cannot open a browser.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "AuthServer:Oidc";

    public List<OidcProviderOptions> Providers { get; set; } = [];

    /// <summary>
    /// Accept an http:// authority on a loopback address. For tests and the demo only: anywhere
    /// else discovery, keys and the code exchange go over HTTPS.
    /// </summary>
    public bool AllowHttpLoopbackIssuers { get; set; }

    /// <summary>Upper bounds for one request to a provider (discovery, keys, token, userinfo).</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxResponseBytes { get; set; } = 512 * 1024;

    public bool Enabled => Providers.Count > 0;
}

/// <summary>One upstream OpenID Connect provider.</summary>
public sealed class OidcProviderOptions
{
    /// <summary>
    /// A short name (lower-case letters, digits, dashes): the provider's address (/login/NAME), its
    /// callback (/login/NAME/callback) and its users' source (<c>oidc:NAME</c>).
    /// </summary>
    public string Name { get; set; } = "";

    /// <summary>What the sign-in page calls it ("Company account"); empty: the name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The issuer URL; its discovery document is at <c>/.well-known/openid-configuration</c> below it.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>Never logged; set it through an environment variable or a secrets file, not appsettings.json.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides <c>openid</c>.</summary>
    public List<string> Scopes { get; set; } = ["profile", "email"];

    /// <summary>The claim holding the login name the user gets here.</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>The claim holding the user's groups at the provider (a list of names or ids).</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>Provider groups given to users as AuthServer groups; groups no mapping names are ignored.</summary>
    public List<OidcGroupMapping> GroupMappings { get; set; } = [];

    /// <summary>A provider group (a value of <see cref="GroupsClaim"/>) a user must be in to sign in at all; empty: anyone the provider signs in.</summary>
    public string? RequiredGroup { get; set; }

    /// <summary>Read the name and groups from the userinfo endpoint too (some providers put them only there).</summary>
    public bool GetClaimsFromUserInfo { get; set; } = true;

    /// <summary>
    /// The longest an access token of this provider's users may live. The server cannot ask the
    /// provider whether a person is still there between sign-ins, so a CLI secret must run out.
    /// </summary>
    public TimeSpan MaxAccessTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The user source of this provider's users.</summary>
    public string Source => OidcSources.Of(Name);
}

/// <summary>A provider group given to users as an AuthServer group.</summary>
public sealed class OidcGroupMapping
{
    /// <summary>The provider's group value, or a glob (<c>*</c> any run of characters, <c>?</c> one): <c>registry-*</c>.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The AuthServer group; empty: the provider's group value. Made when missing.</summary>
    public string? Group { get; set; }
}
