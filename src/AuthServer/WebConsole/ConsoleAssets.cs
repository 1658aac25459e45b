using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.WebConsole;

/// <summary>
/// The console's one stylesheet and one small script, embedded in the executable: no static
/// file folder to ship, and the same bytes whatever directory the server runs from.
/// </summary>
public static class ConsoleAssets
{
    private static readonly byte[] Stylesheet = Read("console.css");
    private static readonly byte[] Script = Read("console.js");

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(ConsoleRoutes.Stylesheet, (HttpResponse response) => Serve(response, Stylesheet, "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet(ConsoleRoutes.Script, (HttpResponse response) => Serve(response, Script, "text/javascript; charset=utf-8")).ExcludeFromDescription();
    }

    private static FileContentHttpResult Serve(HttpResponse response, byte[] content, string type)
    {
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Bytes(content, type);
    }

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"AuthServer.WebConsole.Assets.{name}")
            ?? throw new InvalidOperationException($"console asset {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
