using AuthServer.Core.Federation;
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
        services.AddSingleton<TrustStore>();
        services.AddSingleton<FederatedSignIn>();
        services.AddScoped<TrustService>();
        return services;
    }
}

/// <summary>Every trust must say exactly what it accepts (<see cref="TrustRules"/>); names are unique.</summary>
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
            errors.AddRange(TrustRules.Problems(trust, options.AllowHttpLoopbackIssuers).Select(p => $"{at}:{p.Message}"));
            if (!string.IsNullOrWhiteSpace(trust.Name) && !names.Add(trust.Name.Trim())) errors.Add($"{at}:Name '{trust.Name}' is used by another trust");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
