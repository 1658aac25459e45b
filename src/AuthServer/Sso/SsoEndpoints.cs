using System.Net;
using AuthServer.Core.Sso;
using AuthServer.WebConsole;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AuthServer.Sso;

/// <summary>
/// <c>/login</c>: the sign-in page (the console's, which offers every provider); <c>/login/NAME</c>:
/// straight to that provider; <c>/login/continue</c>: where the browser lands after the provider's
/// callback, on its way to the page it asked for.
/// </summary>
public static class SsoEndpoints
{
    public static WebApplication MapSsoEndpoints(this WebApplication app)
    {
        // From the configuration, not the options: they are validated at start, after the host is built.
        if (app.Configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() is not { Enabled: true }) return app;

        app.MapGet(SsoRoutes.Login, (string? returnUrl) =>
            Results.Redirect($"{ConsoleRoutes.SignIn}?returnUrl={Uri.EscapeDataString(ConsoleRoutes.LocalOrHome(returnUrl ?? SsoRoutes.CliSecrets))}"));

        app.MapGet(SsoRoutes.Login + "/{provider}", (string provider, string? returnUrl, IOptions<OidcOptions> options) =>
        {
            if (options.Value.Providers.All(p => p.Name != provider)) return Results.NotFound();
            var target = ConsoleRoutes.LocalOrHome(returnUrl ?? SsoRoutes.CliSecrets);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = $"{SsoRoutes.Continue}?to={Uri.EscapeDataString(target)}" }, [OidcSources.Of(provider)]);
        });

        app.MapGet(SsoRoutes.Continue, (string? to, HttpContext http) =>
        {
            var target = WebUtility.HtmlEncode(ConsoleRoutes.LocalOrHome(to));
            ConsoleHeaders.Apply(http.Response);
            // A page, not a redirect: the provider's callback was a cross-site navigation, and the
            // redirects that follow it stay cross-site for the browser, which then holds back the
            // SameSite=Strict session cookie. A refresh from this page is a same-site navigation.
            return Results.Content(
                $"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={target}">
                <title>Signed in · AuthServer</title><link rel="stylesheet" href="{ConsoleRoutes.Stylesheet}"></head>
                <body><main id="main"><p>Signed in. <a href="{target}">Continue</a></p></main></body></html>
                """, "text/html; charset=utf-8");
        });
        return app;
    }
}
