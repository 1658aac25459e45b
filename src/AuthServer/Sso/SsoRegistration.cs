using AuthServer.Core.Federation;
using AuthServer.Core.Sso;
using AuthServer.WebConsole;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AuthServer.Sso;

/// <summary>
/// Single sign-on: <c>AuthServer:Oidc</c> checked at start (the CLI too), and for the server one
/// OpenID Connect handler per provider (authorization code with PKCE) that signs the person in to
/// the web console's cookie session.
/// </summary>
public static class SsoRegistration
{
    public static IServiceCollection AddSso(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OidcOptions>().Bind(configuration.GetSection(OidcOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OidcOptions>>(new OidcOptionsValidator(WebConsoleSetup.IsEnabled(configuration)));
        services.AddSingleton<SsoAccounts>();
        return services;
    }

    public static IServiceCollection AddSsoSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();
        if (!options.Enabled || !WebConsoleSetup.IsEnabled(configuration)) return services;

        services.AddScoped<SsoSignIn>();
        services.AddSingleton(sp => new SsoBackchannel(sp.GetRequiredService<IOptions<OidcOptions>>().Value));
        var authentication = services.AddAuthentication();
        foreach (var provider in options.Providers)
        {
            authentication.AddOpenIdConnect(provider.Source, provider.DisplayName ?? provider.Name, _ => { });
            services.AddOptions<OpenIdConnectOptions>(provider.Source)
                .Configure<SsoBackchannel, IOptions<OidcOptions>>((o, backchannel, oidc) => Configure(o, provider.Name, oidc.Value, backchannel));
        }
        return services;
    }

    private static void Configure(OpenIdConnectOptions o, string name, OidcOptions oidc, SsoBackchannel backchannel)
    {
        var provider = oidc.Providers.Single(p => p.Name == name);
        o.Authority = provider.Authority;
        o.ClientId = provider.ClientId;
        o.ClientSecret = provider.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;
        // The code comes back in the query of a top-level GET, so the correlation and nonce cookies
        // can be SameSite=Lax and need no Secure flag on a plain-http test or demo server.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.Scope.Clear();
        o.Scope.Add(OpenIdConnectScope.OpenId);
        foreach (var scope in provider.Scopes.Where(s => s != OpenIdConnectScope.OpenId)) o.Scope.Add(scope);
        o.CallbackPath = SsoRoutes.Callback(provider.Name);
        // No front-channel sign-out addresses: nothing here needs them, and each would be a URL anyone can make a browser visit.
        o.RemoteSignOutPath = PathString.Empty;
        o.SignedOutCallbackPath = PathString.Empty;
        o.SignInScheme = ConsoleAuthentication.Scheme;
        // The ID token and access token are never kept: the session holds our user, not theirs.
        o.SaveTokens = false;
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = provider.GetClaimsFromUserInfo;
        o.ClaimActions.MapUniqueJsonKey(provider.NameClaim, provider.NameClaim);
        o.ClaimActions.MapJsonKey(provider.GroupsClaim, provider.GroupsClaim);
        o.TokenValidationParameters.NameClaimType = provider.NameClaim;
        o.RequireHttpsMetadata = IssuerKeys.Refusal(provider.Authority, allowHttpLoopback: false) is null;
        o.Backchannel = backchannel.Client;
        o.BackchannelTimeout = oidc.BackchannelTimeout;
        o.DisableTelemetry = true;
        foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.HttpOnly = true;
        }
        o.Events.OnTicketReceived = SsoSignIn.TicketReceived;
        o.Events.OnRemoteFailure = SsoSignIn.RemoteFailure;
    }
}
