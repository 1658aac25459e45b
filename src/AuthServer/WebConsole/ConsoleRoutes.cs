namespace AuthServer.WebConsole;

/// <summary>Where the console's pages live.</summary>
public static class ConsoleRoutes
{
    public const string Prefix = "/ui";
    public const string Home = "/ui";
    public const string SignIn = "/ui/signin";
    public const string SignOut = "/ui/signout";
    public const string Stylesheet = "/ui/assets/console.css";
    public const string Script = "/ui/assets/console.js";

    /// <summary>A return address after sign-in, kept only when it is one of the console's own pages.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && (url == Prefix || url.StartsWith(Prefix + "/", StringComparison.Ordinal))
        && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\') ? url : Home;
}
