using AuthServer.Registry.Auth;

namespace AuthServer.Registry;

/// <summary>
/// The registry's settings, named as in distribution's <c>auth.token</c> section where they have
/// a counterpart (realm, service, issuer, rootcertbundle, jwks, signingalgorithms).
/// </summary>
public sealed class RegistryOptions
{
    public const long DefaultMaxBlobBytes = 1L << 30;

    /// <summary>The token endpoint clients are sent to. Absolute: the Docker client does not resolve a relative realm (session.go).</summary>
    public string Realm { get; set; } = "http://127.0.0.1:5001/token";

    /// <summary>Sent in the challenge, and the one audience a token must name.</summary>
    public string Service { get; set; } = "registry";

    /// <summary>The one issuer a token must name, compared byte for byte.</summary>
    public string Issuer { get; set; } = "authserver";

    /// <summary>PEM certificates: x5c roots, and keys a bare kid may name.</summary>
    public string? RootCertBundle { get; set; }

    /// <summary>3.x only: a JWKS file whose keys are trusted under their kid.</summary>
    public string? Jwks { get; set; }

    public VerificationMode Mode { get; set; } = VerificationMode.Distribution28;

    /// <summary>3.x only: allowed <c>alg</c> values; empty means distribution's default list.</summary>
    public List<string> SigningAlgorithms { get; set; } = [];

    /// <summary>A folder to keep repositories in; null keeps them in memory for the life of the process.</summary>
    public string? StorageDirectory { get; set; }

    /// <summary>The largest blob accepted; a larger one is answered 413 TOO_LARGE.</summary>
    public long MaxBlobBytes { get; set; } = DefaultMaxBlobBytes;

    /// <summary>Every problem with these settings, each naming the setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("http" or "https"))
            problems.Add($"realm \"{Realm}\" must be an absolute http or https URL: clients do not resolve a relative realm");
        if (string.IsNullOrEmpty(Service)) problems.Add("service is required: it is the audience tokens must name");
        if (string.IsNullOrEmpty(Issuer)) problems.Add("issuer is required: it is the iss tokens must carry");
        if (RootCertBundle is null && Jwks is null) problems.Add("give a certificate bundle (rootcertbundle) or, in 3.x mode, a JWKS file");
        if (Mode == VerificationMode.Distribution28 && SigningAlgorithms.Count > 0)
            problems.Add("signing algorithms are a distribution 3.x setting; 2.8 accepts RS256/384/512 and ES256/384/512 only");
        var limit = StorageDirectory is null ? Array.MaxLength : long.MaxValue;
        if (MaxBlobBytes < 1 || MaxBlobBytes > limit) problems.Add($"the largest blob must be between 1 and {limit} bytes");
        return problems;
    }
}
