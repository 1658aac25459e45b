using AuthServer.Core.Federation;
using AuthServer.Core.Identity;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>Keyless CI: the trusts (checked at start, like every setting) and the issuers' keys.</summary>
public static class FederationRegistration
{
    public static IServiceCollection AddFederation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FederationOptions>().Bind(configuration.GetSection(FederationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<FederationOptions>, FederationOptionsValidator>();
        services.AddSingleton<IssuerKeys>();
        services.AddSingleton<FederatedSignIn>();
        return services;
    }
}

/// <summary>Every trust must say exactly what it accepts: a loose trust would let any CI job in as the robot.</summary>
public sealed class FederationOptionsValidator : IValidateOptions<FederationOptions>
{
    public ValidateOptionsResult Validate(string? name, FederationOptions options)
    {
        var section = FederationOptions.Section;
        var errors = new List<string>();
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
            errors.Add($"{section}:ClockSkew must be between 0 and 5 minutes");
        if (options.FetchTimeout <= TimeSpan.Zero) errors.Add($"{section}:FetchTimeout must be positive");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Trusts.Count; i++)
        {
            var trust = options.Trusts[i];
            var at = $"{section}:Trusts:{i}";
            if (string.IsNullOrWhiteSpace(trust.Name)) errors.Add($"{at}:Name is required");
            else if (!names.Add(trust.Name)) errors.Add($"{at}:Name '{trust.Name}' is used by another trust");
            if (IssuerKeys.Refusal(trust.Issuer, options.AllowHttpLoopbackIssuers) is { } refusal) errors.Add($"{at}:Issuer {refusal}");
            if (trust.Audiences.Count == 0 || trust.Audiences.Any(string.IsNullOrWhiteSpace))
                errors.Add($"{at}:Audiences must list the audience the CI job asks for (at least one, none empty)");
            if (!RobotNames.IsRobotLogin(trust.Robot)) errors.Add($"{at}:Robot must be a robot login (owner+name)");
            // Without a condition every job of that issuer (every GitHub repository) would be the robot.
            if (trust.Claims.Count == 0 || trust.Claims.Any(c => string.IsNullOrWhiteSpace(c.Key) || string.IsNullOrEmpty(c.Value) || c.Value.Trim('*').Length == 0))
                errors.Add($"{at}:Claims must hold at least one condition, and none may be empty or only '*'");
            if (trust.MaxTokenLifetime is { } max && max <= TimeSpan.Zero) errors.Add($"{at}:MaxTokenLifetime must be positive");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
