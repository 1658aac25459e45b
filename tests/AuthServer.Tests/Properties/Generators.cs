using FsCheck;
using FsCheck.Fluent;

namespace AuthServer.Tests.Properties;

/// <summary>Inputs for the property tests: valid shapes built from parts, and hostile text made of the characters that matter.</summary>
internal static class Generators
{
    public static readonly Gen<string> Component = Gen.Elements("a", "b0", "team", "x.y", "a_b", "a-b", "lib", "u");

    /// <summary>A repository name of one to four components, optionally behind a host with a port.</summary>
    public static readonly Gen<string> RepositoryName =
        from count in Gen.Choose(1, 4)
        from parts in Gen.ArrayOf(Component, count)
        from host in Gen.Elements("", "localhost:5000/", "registry.example.com/")
        select host + string.Join('/', parts);

    public static readonly Gen<string[]> Actions =
        Gen.SubListOf("pull", "push", "delete", "*").Where(a => a.Count > 0).Select(a => a.ToArray());

    public static readonly Gen<string> Scope =
        from name in RepositoryName
        from actions in Actions
        select $"repository:{name}:{string.Join(',', actions)}";

    /// <summary>Short text over the characters the parsers split on or refuse, and a few others.</summary>
    public static readonly Gen<string> Hostile =
        from length in Gen.Choose(0, 40)
        from chars in Gen.ArrayOf(Gen.Elements(':', '/', ',', ' ', '(', ')', '*', '%', '+', '=', '&', 'a', 'Z', '0', '\n', '\0', 'é', '.', '-', '_'), length)
        select new string(chars);

    public static readonly Gen<string> PatternSegment = Gen.Elements("a", "b", "*", "a*", "*b", "**", "${user}", "${user}-*");
    public static readonly Gen<string> NamePart = Gen.Elements("a", "b", "ab", "ba", "u", "u-x");

    public static readonly Gen<string[]> PatternSegments = Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(PatternSegment, n));
    public static readonly Gen<string[]> NameParts = Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(NamePart, n));
}
