using System.Text.RegularExpressions;
using AuthServer.Core.Federation;
using AuthServer.Core.Sso;
using Microsoft.Extensions.Options;

namespace AuthServer.Sso;

/// <summary>
/// Each provider is checked at start: a name fit for an address, an https authority (http only on
/// loopback when the tests or the demo allow it), a client, and the web console its pages need.
/// </summary>
public sealed partial class OidcOptionsValidator(bool consoleEnabled) : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        var section = OidcOptions.Section;
        var errors = new List<string>();
        if (options.Enabled && !consoleEnabled)
            errors.Add($"{section}:Providers needs the web console: SSO signs people in to its pages (AuthServer:Console:Enabled is false)");
        if (options.BackchannelTimeout <= TimeSpan.Zero) errors.Add($"{section}:BackchannelTimeout must be positive");
        if (options.MaxResponseBytes is < 1024 or > 4 * 1024 * 1024) errors.Add($"{section}:MaxResponseBytes must be between 1024 and 4194304");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Providers.Count; i++)
        {
            var provider = options.Providers[i];
            var at = $"{section}:Providers:{i}";
            if (!ProviderName().IsMatch(provider.Name))
                errors.Add($"{at}:Name must be 1 to 27 lower-case letters, digits or dashes, starting with a letter or digit (it is the address /login/NAME)");
            else if (!names.Add(provider.Name)) errors.Add($"{at}:Name '{provider.Name}' is used by another provider");
            if (IssuerKeys.Refusal(provider.Authority, options.AllowHttpLoopbackIssuers) is { } refusal)
                errors.Add($"{at}:Authority {refusal}" + (options.AllowHttpLoopbackIssuers ? "" : $" (an http loopback authority only with {section}:AllowHttpLoopbackIssuers, for tests and the demo)"));
            if (string.IsNullOrWhiteSpace(provider.ClientId)) errors.Add($"{at}:ClientId is required");
            if (string.IsNullOrWhiteSpace(provider.NameClaim)) errors.Add($"{at}:NameClaim is required");
            if (string.IsNullOrWhiteSpace(provider.GroupsClaim)) errors.Add($"{at}:GroupsClaim is required");
            if (provider.Scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Any(char.IsWhiteSpace)))
                errors.Add($"{at}:Scopes: a scope is one word");
            if (provider.GroupMappings.Any(m => string.IsNullOrWhiteSpace(m.Provider)))
                errors.Add($"{at}:GroupMappings: every mapping needs Provider (a group value or glob)");
            if (provider.MaxAccessTokenLifetime < TimeSpan.FromDays(1)) errors.Add($"{at}:MaxAccessTokenLifetime must be at least one day");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,26}$")]
    private static partial Regex ProviderName();
}
