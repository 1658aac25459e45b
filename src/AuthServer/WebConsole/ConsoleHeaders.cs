namespace AuthServer.WebConsole;

/// <summary>
/// Headers on every console answer: no page is cached (some show a secret once), no other site
/// may frame it, and only our own stylesheet and script run (no inline script at all).
/// </summary>
public static class ConsoleHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        // As antiforgery sets it on every page with a form, so it need not override (and warn).
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }
}
