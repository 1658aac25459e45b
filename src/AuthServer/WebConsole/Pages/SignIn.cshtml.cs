using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.WebConsole.Pages;

/// <summary>
/// Local-password sign-in. External providers (single sign-on) are listed when the server has
/// remote authentication schemes registered, so the OpenID Connect sign-in plugs in here by
/// adding its scheme: this page then offers it and challenges it.
/// </summary>
public sealed class SignInModel(ConsoleSignIn signIn, IAuthenticationSchemeProvider schemes) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public IReadOnlyList<AuthenticationScheme> Providers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (User.Identity?.IsAuthenticated == true) return Redirect(ConsoleRoutes.LocalOrHome(ReturnUrl));
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? password, CancellationToken ct)
    {
        var result = await signIn.SignInAsync(HttpContext, Name, password, ct);
        if (result.Succeeded) return Redirect(ConsoleRoutes.LocalOrHome(ReturnUrl));

        ModelState.AddModelError("", result.Message!);
        await LoadAsync();
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

    public async Task<IActionResult> OnGetExternalAsync(string scheme)
    {
        await LoadAsync();
        if (Providers.All(p => p.Name != scheme)) return NotFound();
        return Challenge(new AuthenticationProperties { RedirectUri = ConsoleRoutes.LocalOrHome(ReturnUrl) }, scheme);
    }

    private async Task LoadAsync() => Providers = (await schemes.GetRequestHandlerSchemesAsync()).ToArray();
}
