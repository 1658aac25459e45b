using System.Net;

namespace AuthServer.WebConsole;

/// <summary>
/// The page for a console answer that has no body of its own: 400 (a form without its
/// antiforgery token), 403 (not an administrator), 404, 405. Written directly rather than
/// re-executed through a Razor page, so it never depends on the request that failed.
/// </summary>
public static class ConsoleStatusPage
{
    public static async Task WriteAsync(HttpContext http)
    {
        var code = http.Response.StatusCode;
        var (title, text) = code switch
        {
            400 => ("The form was not accepted",
                "It was incomplete, or it expired or came from another site (its antiforgery token was missing or wrong). Open the page again and send it once more."),
            403 => ("Not allowed", "Your account may not open this page: it is for administrators."),
            404 => ("Not found", "There is no such page, or what it showed no longer exists."),
            405 => ("Not allowed", "This page does not take that kind of request."),
            _ => ("Something went wrong", "The request could not be answered."),
        };
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{code}} {{WebUtility.HtmlEncode(title)}} · AuthServer</title>
            <link rel="stylesheet" href="{{ConsoleRoutes.Stylesheet}}"></head>
            <body>
            <header class="top"><a class="brand" href="{{ConsoleRoutes.Home}}">AuthServer</a></header>
            <main id="main"><h1>{{WebUtility.HtmlEncode(title)}}</h1>
            <p>{{WebUtility.HtmlEncode(text)}}</p>
            <p class="hint">HTTP status {{code}}</p>
            <p><a href="{{ConsoleRoutes.Home}}">Back to the console</a></p></main>
            </body>
            </html>
            """);
    }
}
