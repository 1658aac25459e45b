using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.WebConsole.Pages;

/// <summary>Signing out is a POST with the antiforgery token, so another site cannot sign anyone out.</summary>
public sealed class SignOutModel(ConsoleSignIn signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync(HttpContext);
        return Redirect(ConsoleRoutes.SignIn);
    }
}
