using System.ComponentModel.DataAnnotations;

namespace AuthServer.Core.Federation;

/// <summary>
/// Workload identity federation (keyless CI): a CI job signs in as a robot with the OIDC ID token
/// its platform gives it (GitHub Actions, GitLab CI, Kubernetes service accounts) instead of a
/// stored robot secret, when a trust says which issuer, audience and claims stand for that robot.
/// </summary>
public sealed class FederationOptions
{
    public const string Section = "AuthServer:Federation";

    public List<TrustOptions> Trusts { get; set; } = [];

    /// <summary>How far an ID token's exp, nbf and iat may be off our clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An issuer's discovery document and keys are fetched again after this long.</summary>
    public TimeSpan MetadataLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// At most one fetch per issuer in this interval when a token names a key we do not know
    /// (the issuer rotated its keys), so made-up key ids cannot make us hammer the issuer.
    /// </summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Accept http:// issuers on a loopback address. For tests and the demo only: anywhere else the
    /// keys that sign CI tokens must come over HTTPS.
    /// </summary>
    public bool AllowHttpLoopbackIssuers { get; set; }

    /// <summary>Upper bounds for one fetch of a discovery document or a key set.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1024, 4 * 1024 * 1024)]
    public int MaxDocumentBytes { get; set; } = 512 * 1024;
}

/// <summary>One trust: ID tokens from this issuer, for one of these audiences, whose claims match, sign in as this robot.</summary>
public sealed class TrustOptions
{
    /// <summary>A name for the audit log and the operator.</summary>
    public string Name { get; set; } = "";

    /// <summary>The issuer exactly as the tokens' <c>iss</c> says it (https://token.actions.githubusercontent.com).</summary>
    public string Issuer { get; set; } = "";

    /// <summary>Accepted <c>aud</c> values: the audience the CI job asks its platform for.</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>
    /// Claim conditions, all required: claim name to a value or glob pattern (<c>*</c> any run of
    /// characters, <c>?</c> one). For GitHub: repository, ref, environment, sub; for GitLab:
    /// project_path, ref, namespace_path; for Kubernetes: sub.
    /// </summary>
    public Dictionary<string, string> Claims { get; set; } = [];

    /// <summary>The robot (<c>owner+name</c>) the job signs in as; its rules and scope limits apply.</summary>
    public string Robot { get; set; } = "";

    /// <summary>The longest registry token this trust gives; never past the ID token's own expiry.</summary>
    public TimeSpan? MaxTokenLifetime { get; set; }

    /// <summary>Whether an offline login (docker login) gets a refresh token; it ends with the ID token anyway.</summary>
    public bool AllowRefresh { get; set; }
}
