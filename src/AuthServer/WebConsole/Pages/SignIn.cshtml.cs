using AuthServer.Core.Sso;
using AuthServer.Sso;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AuthServer.WebConsole.Pages;

/// <summary>
/// The one sign-in page (also at /login): a local password, or any configured OpenID Connect
/// provider, each of which ends in the same console session. A provider that sent the person
/// back refused (<see cref="SsoSignIn"/>) is said here, without the reason (that is in the audit log).
/// </summary>
public sealed class SignInModel(ConsoleSignIn signIn, IOptions<OidcOptions> sso) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public IReadOnlyList<OidcProviderOptions> Providers => sso.Value.Providers;

    public IActionResult OnGet([FromQuery(Name = SsoSignIn.RefusedParameter)] string? refused, [FromQuery(Name = SsoSignIn.FailedParameter)] string? failed)
    {
        if (User.Identity?.IsAuthenticated == true) return Redirect(ConsoleRoutes.LocalOrHome(ReturnUrl));
        if (Provider(refused) is { } refusing)
        {
            ModelState.AddModelError("", $"Your {DisplayName(refusing)} account may not sign in here. Ask an administrator if you need access.");
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        else if (Provider(failed) is { } failing)
        {
            ModelState.AddModelError("", $"Sign-in with {DisplayName(failing)} did not complete. Try again.");
            Response.StatusCode = StatusCodes.Status401Unauthorized;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? password, CancellationToken ct)
    {
        var result = await signIn.SignInAsync(HttpContext, Name, password, ct);
        if (result.Succeeded) return Redirect(ConsoleRoutes.LocalOrHome(ReturnUrl));

        ModelState.AddModelError("", result.Message!);
        if (result.RetryAfter is { } wait)
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Response.StatusCode = wait > TimeSpan.FromSeconds(1) ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
        }
        else
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
        }
        return Page();
    }

    /// <summary>Where a provider's sign-in starts, coming back to the page asked for.</summary>
    public string StartUrl(OidcProviderOptions provider) =>
        $"{SsoRoutes.Start(provider.Name)}?returnUrl={Uri.EscapeDataString(ConsoleRoutes.LocalOrHome(ReturnUrl))}";

    public static string DisplayName(OidcProviderOptions provider) => provider.DisplayName is { Length: > 0 } shown ? shown : provider.Name;

    private OidcProviderOptions? Provider(string? name) => name is null ? null : Providers.FirstOrDefault(p => p.Name == name);
}
