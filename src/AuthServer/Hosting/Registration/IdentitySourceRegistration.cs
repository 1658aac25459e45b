using AuthServer.Core.Ldap;
using AuthServer.Core.SignIn.Sources;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>The identity sources: the local accounts always, the directory when <c>AuthServer:Ldap:Servers</c> is set.</summary>
public static class IdentitySourceRegistration
{
    /// <summary>The directory refresh, for the server only (the CLI runs no background work).</summary>
    public static IServiceCollection AddIdentitySourceServices(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetSection(LdapOptions.Section).Get<LdapOptions>()?.Enabled == true) services.AddHostedService<DirectoryRefreshService>();
        return services;
    }

    public static IServiceCollection AddIdentitySources(this IServiceCollection services, IConfiguration configuration)
    {
        var ldap = configuration.GetSection(LdapOptions.Section).Get<LdapOptions>() ?? new LdapOptions();
        var configured = new List<string> { Core.Identity.IdentitySources.Local };

        services.AddSingleton<Core.Identity.SourceAccounts>();
        services.AddSingleton<LocalPasswordSource>();
        services.AddSingleton<IIdentitySource>(sp => sp.GetRequiredService<LocalPasswordSource>());
        services.AddOptions<LdapOptions>().Bind(configuration.GetSection(LdapOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LdapOptions>, LdapOptionsValidator>();
        if (ldap.Enabled)
        {
            configured.Add(Core.Identity.IdentitySources.Ldap);
            services.AddSingleton<LdapTrust>();
            services.AddSingleton<LdapDirectory>();
            services.AddSingleton<DirectoryAccounts>();
            services.AddSingleton<LdapIdentitySource>();
            services.AddSingleton<IIdentitySource>(sp => sp.GetRequiredService<LdapIdentitySource>());
            services.AddSingleton<DirectoryRefresher>();
        }

        services.AddOptions<IdentitySourceOptions>().Bind(configuration.GetSection(IdentitySourceOptions.Section))
            .Validate(o => IdentitySourceSet.Problem(o.Order, configured) is null, IdentitySourceSet.Problem(
                configuration.GetSection(IdentitySourceOptions.Section).Get<IdentitySourceOptions>()?.Order ?? [], configured) ?? "")
            .ValidateOnStart();
        services.AddSingleton<IdentitySourceSet>();
        return services;
    }

    private sealed class LdapOptionsValidator : IValidateOptions<LdapOptions>
    {
        public ValidateOptionsResult Validate(string? name, LdapOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
