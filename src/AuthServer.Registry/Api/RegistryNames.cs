using System.Text.RegularExpressions;

namespace AuthServer.Registry.Api;

/// <summary>Repository names and tags as distribution's reference package defines them (reference/regexp.go).</summary>
public static partial class RegistryNames
{
    /// <summary>reference.go <c>NameTotalLengthMax</c>.</summary>
    public const int MaxNameLength = 255;

    public static bool IsValidName(string name) => name.Length <= MaxNameLength && NameRegex().IsMatch(name);

    public static bool IsValidTag(string tag) => TagRegex().IsMatch(tag);

    // path-component = alpha-numeric (separator alpha-numeric)*; separator = [_.] | __ | [-]*
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagRegex();
}
