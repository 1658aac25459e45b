using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.WebConsole.Pages;

/// <summary>The page shown for a console answer that has no body of its own: 400, 403, 404, 405.</summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    // Re-executed with the method of the request that failed, so POST is answered too.
    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        Code = code;
        (Title, Explanation) = code switch
        {
            400 => ("The form was not accepted", "It was incomplete, or it expired or came from another site (its antiforgery token was missing or wrong). Open the page again and resend it."),
            403 => ("Not allowed", "Your account may not open this page: it is for administrators."),
            404 => ("Not found", "There is no such page, or what it showed no longer exists."),
            405 => ("Not allowed", "This page does not take that kind of request."),
            _ => ("Something went wrong", "The request could not be answered."),
        };
        // Opened directly (not re-executed), the page still answers with the status it describes.
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null && code is >= 400 and <= 599)
            Response.StatusCode = code;
    }
}
