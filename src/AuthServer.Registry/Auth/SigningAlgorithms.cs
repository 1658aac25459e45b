namespace AuthServer.Registry.Auth;

/// <summary>
/// 3.x <c>auth.token.signingalgorithms</c> (token.go): a token whose <c>alg</c> is not listed is
/// malformed. Unset means distribution's default list, which includes HS* and EdDSA; HS* can
/// still never verify, because every trusted key is a public key.
/// </summary>
public static class SigningAlgorithms
{
    /// <summary>Every name distribution knows, which is also its default list (token.go <c>defaultSigningAlgorithms</c>).</summary>
    public static readonly IReadOnlyList<string> Known =
        ["EdDSA", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"];

    /// <exception cref="RegistryConfigurationException">a name distribution does not know: a start-up error there too.</exception>
    public static IReadOnlySet<string> Resolve(IReadOnlyCollection<string> configured)
    {
        foreach (var alg in configured)
        {
            if (!Known.Contains(alg, StringComparer.Ordinal))
                throw new RegistryConfigurationException($"unsupported signing algorithm: {alg} (known: {string.Join(", ", Known)})");
        }
        return new HashSet<string>(configured.Count == 0 ? Known : configured, StringComparer.Ordinal);
    }
}
