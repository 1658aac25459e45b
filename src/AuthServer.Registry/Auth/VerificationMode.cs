namespace AuthServer.Registry.Auth;

/// <summary>Whose token rules the registry follows: they differ in ways that decide interop.</summary>
public enum VerificationMode
{
    /// <summary>
    /// distribution 2.8 (registry/auth/token with docker/libtrust): claims checked before the key,
    /// <c>aud</c> a string only, <c>kid</c> = libtrust ID of a bundle certificate, RS*/ES* only.
    /// </summary>
    Distribution28,

    /// <summary>
    /// distribution 3.x (go-jose v4): the key and signature first, <c>aud</c> a string or an array,
    /// <c>kid</c> = RFC 7638 thumbprint of a bundle certificate or a JWKS kid, a configurable list
    /// of allowed algorithms.
    /// </summary>
    Distribution3,
}

public static class VerificationModes
{
    public static bool TryParse(string? text, out VerificationMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "2.8" or "2" or "2.x":
                mode = VerificationMode.Distribution28;
                return true;
            case "3" or "3.x" or "3.0" or "3.1":
                mode = VerificationMode.Distribution3;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    public static string Name(this VerificationMode mode) => mode == VerificationMode.Distribution28 ? "2.8" : "3.x";
}
