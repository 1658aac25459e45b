using AuthServer.Admin;
using AuthServer.Core.Signing;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>Checks the configured services at start-up, naming the setting that is wrong.</summary>
public sealed class TokenOptionsValidator(IOptions<AdminOptions> admin) : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer)) failures.Add("AuthServer:Tokens:Issuer is required");
        if (string.IsNullOrWhiteSpace(options.Realm)) failures.Add("AuthServer:Tokens:Realm is required");
        if (options.ReuseWindowSeconds is < 0 or > 60)
            failures.Add($"AuthServer:Tokens:ReuseWindowSeconds is {options.ReuseWindowSeconds}: it must be between 0 and 60");
        // The admin audience is added to the list after binding; it is no registry.
        var adminAudience = admin.Value.Audience;
        if (options.Services.Count(s => s.Name == adminAudience) > 1)
            failures.Add($"AuthServer:Admin:Audience '{adminAudience}' is also a service in AuthServer:Tokens:Services: " +
                         "give the admin API an audience of its own, or that registry's tokens would open it");
        if (options.Services.All(s => s.Name == adminAudience))
            failures.Add("AuthServer:Tokens:Services is empty: configure at least one service (the registry's auth.token.service)");
        for (var i = 0; i < options.Services.Count; i++)
        {
            var s = options.Services[i];
            var at = $"AuthServer:Tokens:Services:{i}";
            if (string.IsNullOrWhiteSpace(s.Name)) failures.Add($"{at}:Name is required");
            else if (s.Name.Length > 255) failures.Add($"{at}:Name is longer than 255 characters");
            if (s.TokenLifetimeSeconds is < ServiceOptions.MinimumLifetimeSeconds or > 86400)
                failures.Add($"{at}:TokenLifetimeSeconds is {s.TokenLifetimeSeconds}: it must be between 60 and 86400 (clients treat less than 60 as 60)");
        }
        foreach (var dup in options.Services.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1 && g.Key != adminAudience))
            failures.Add($"AuthServer:Tokens:Services names '{dup.Key}' more than once");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
