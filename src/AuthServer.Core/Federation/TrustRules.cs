using AuthServer.Core.Identity;

namespace AuthServer.Core.Federation;

/// <summary>
/// What makes a trust acceptable, for the settings and for one added at run time alike: every
/// trust must say exactly what it accepts, since a loose one would let any CI job in as the robot.
/// </summary>
public static class TrustRules
{
    public const int MaxNameLength = 64;
    public const int MaxIssuerLength = 512;
    public const int MaxValueLength = 256;
    public const int MaxEntries = 32;

    /// <summary>The problems of one trust, each with the field it concerns; empty when it is fine.</summary>
    public static IEnumerable<(string Field, string Message)> Problems(TrustOptions trust, bool allowHttpLoopbackIssuers)
    {
        if (string.IsNullOrWhiteSpace(trust.Name)) yield return ("Name", "Name is required");
        else if (trust.Name.Length > MaxNameLength || trust.Name.Any(char.IsControl)) yield return ("Name", $"Name must be at most {MaxNameLength} printable characters");
        if (trust.Issuer.Length > MaxIssuerLength) yield return ("Issuer", $"Issuer must be at most {MaxIssuerLength} characters");
        else if (IssuerKeys.Refusal(trust.Issuer, allowHttpLoopbackIssuers) is { } refusal) yield return ("Issuer", $"Issuer {refusal}");
        if (trust.Audiences.Count is 0 or > MaxEntries || trust.Audiences.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > MaxValueLength))
            yield return ("Audiences", $"Audiences must list the audience the CI job asks for (1 to {MaxEntries}, none empty)");
        if (!RobotNames.IsRobotLogin(trust.Robot)) yield return ("Robot", "Robot must be a robot login (owner+name)");
        // Without a condition every job of that issuer (every GitHub repository) would be the robot.
        if (trust.Claims.Count is 0 or > MaxEntries
            || trust.Claims.Any(c => string.IsNullOrWhiteSpace(c.Key) || c.Key.Length > MaxValueLength || string.IsNullOrEmpty(c.Value) || c.Value.Length > MaxValueLength || c.Value.Trim('*').Length == 0))
            yield return ("Claims", "Claims must hold at least one condition, and none may be empty or only '*'");
        if (trust.MaxTokenLifetime is { } max && max <= TimeSpan.Zero) yield return ("MaxTokenLifetime", "MaxTokenLifetime must be positive");
    }
}
