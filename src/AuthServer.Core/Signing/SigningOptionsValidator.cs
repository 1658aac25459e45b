using Microsoft.Extensions.Options;

namespace AuthServer.Core.Signing;

/// <summary>Checks the signing settings against each other at start-up, naming the setting that is wrong.</summary>
public sealed class SigningOptionsValidator : IValidateOptions<SigningOptions>
{
    public static readonly TimeSpan MinimumRotationInterval = TimeSpan.FromSeconds(10);

    public ValidateOptionsResult Validate(string? name, SigningOptions o)
    {
        var failures = new List<string>();
        if (o.Mode == SigningMode.Ca && !o.IncludeX5c)
            failures.Add("AuthServer:Signing:Mode is Ca but IncludeX5c is false: a registry that trusts only the CA finds the " +
                         "signing key through the token's x5c chain; set IncludeX5c=true");
        if (o.RetiredKeyGrace < TimeSpan.Zero) failures.Add("AuthServer:Signing:RetiredKeyGrace must not be negative");
        if (o.RotationCheckInterval <= TimeSpan.Zero || o.RotationCheckInterval > TimeSpan.FromHours(1))
            failures.Add("AuthServer:Signing:RotationCheckInterval must be between 0 (excluded) and one hour");
        if (o.EffectiveRotationInterval is { } interval)
        {
            if (interval < MinimumRotationInterval)
                failures.Add($"AuthServer:Signing:RotationInterval is {interval}: it must be at least {MinimumRotationInterval} (or 00:00:00 for off)");
            var lead = o.EffectiveRotationLeadTime;
            if (lead < TimeSpan.Zero || lead >= interval)
                failures.Add($"AuthServer:Signing:RotationLeadTime is {lead}: it must be at least 0 and shorter than RotationInterval ({interval})");
            // A key's certificate must outlast its time as next key, active key and retired-but-trusted key.
            var needed = interval + lead + o.RetiredKeyGrace + TimeSpan.FromDays(1);
            if (o.Mode == SigningMode.Ca && TimeSpan.FromDays(o.LeafCertificateLifetimeDays) < needed)
                failures.Add($"AuthServer:Signing:LeafCertificateLifetimeDays is {o.LeafCertificateLifetimeDays}: with RotationInterval {interval} " +
                             $"it must be at least {Math.Ceiling(needed.TotalDays)} (interval + lead time + RetiredKeyGrace + a day)");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
