using AuthServer.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.ApplicationParts;

namespace AuthServer.WebConsole;

/// <summary>
/// The web console: Razor Pages rendered on the server under <c>/ui</c>, in the same process as
/// the token endpoint and the admin API, calling the same domain services. Off with
/// <c>AuthServer:Console:Enabled=false</c>, when nothing of it is registered or mapped.
/// </summary>
public static class WebConsoleSetup
{
    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue($"{ConsoleOptions.Section}:{nameof(ConsoleOptions.Enabled)}", true);

    public static IServiceCollection AddWebConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.IdleTimeout >= TimeSpan.FromMinutes(1), $"{ConsoleOptions.Section}:IdleTimeout must be at least one minute")
            .Validate(o => o.AbsoluteLifetime >= o.IdleTimeout, $"{ConsoleOptions.Section}:AbsoluteLifetime must be at least IdleTimeout")
            .ValidateOnStart();
        if (!IsEnabled(configuration)) return services;

        services.AddConsoleAuthentication();
        services.AddScoped<ConsoleSignIn>();
        services.AddSingleton<ConsoleRegistry>();
        // Page addresses are written lower-case (/ui/me/tokens), whatever the file is called.
        services.Configure<RouteOptions>(o => o.LowercaseUrls = true);
        services.AddScoped<Dashboard.TrafficQuery>();
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/WebConsole/Pages";
                o.Conventions.Add(new PrefixConvention());
                o.Conventions.AuthorizeFolder("/", ConsoleAuthentication.UserPolicy);
                o.Conventions.AuthorizeFolder("/Admin", ConsoleAuthentication.AdminPolicy);
                o.Conventions.AllowAnonymousToPage("/SignIn");
            })
            // Only this assembly's pages, whichever program hosts the server (the test host too).
            .ConfigureApplicationPartManager(parts =>
            {
                var assembly = typeof(WebConsoleSetup).Assembly;
                parts.ApplicationParts.Clear();
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    parts.ApplicationParts.Add(part);
            })
            .AddMvcOptions(o =>
            {
                o.Filters.Add<ConsoleActor>();
                o.Filters.Add<ConsoleErrors>();
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ConsoleAuthentication.CookieName + "_af";
            o.Cookie.Path = ConsoleRoutes.Prefix;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.Configure<CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = ConsoleAuthentication.CookieName + "_notice";
            o.Cookie.Path = ConsoleRoutes.Prefix;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Cookies and antiforgery tokens stay valid across restarts: their keys live beside the
        // database, encrypted under the key-encryption key.
        var data = new DataDirectory(Path.GetFullPath(configuration[DataDirectory.Setting] ?? DataDirectory.Default));
        services.AddDataProtection().SetApplicationName("authserver")
            .PersistKeysToFileSystem(new DirectoryInfo(data.Resolve("console-keys")));
        services.AddConsoleKeyProtection();
        return services;
    }

    public static WebApplication UseWebConsole(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration)) return app;
        app.UseWhen(http => http.Request.Path.StartsWithSegments(ConsoleRoutes.Prefix), ui =>
        {
            ui.Use((http, next) =>
            {
                ConsoleHeaders.Apply(http.Response);
                return next(http);
            });
            // A 403, 404 or refused form without a body of its own gets a page saying so.
            ui.UseStatusCodePages(context => ConsoleStatusPage.WriteAsync(context.HttpContext));
        });
        return app;
    }

    public static WebApplication MapWebConsole(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration)) return app;
        app.MapRazorPages();
        ConsoleAssets.Map(app);
        return app;
    }

    /// <summary>
    /// Pages live under /WebConsole/Pages and answer under /ui. A page with a route of its own
    /// (<c>@page "/ui/admin/users/{name}"</c>) arrives here already absolute, without its slash.
    /// </summary>
    private sealed class PrefixConvention : IPageRouteModelConvention
    {
        public void Apply(PageRouteModel model)
        {
            var prefix = ConsoleRoutes.Prefix[1..];
            foreach (var route in model.Selectors.Select(s => s.AttributeRouteModel!))
            {
                if (route.Template is { } t && (t == prefix || t.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase))) continue;
                route.Template = AttributeRouteModel.CombineTemplates(prefix, route.Template);
            }
        }
    }
}
