using AuthServer.Core.Policy;
using AuthServer.Tests.Policy;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AuthServer.Tests.Properties;

/// <summary>Pattern matching agrees with a regular expression of the documented semantics, for patterns and names larger than the exhaustive test's.</summary>
public class NamePatternProperties
{
    [Property(MaxTest = 2000)]
    public Property Matching_agrees_with_the_regular_expression_reference() =>
        Prop.ForAll(Gen.Zip(Generators.PatternSegments, Generators.NameParts).ToArbitrary(), input =>
        {
            var (segments, parts) = input;
            var pattern = NamePattern.Parse(string.Join('/', segments));
            var name = string.Join('/', parts);
            return NamePatternTests.Reference(segments, "u").IsMatch("/" + name) == pattern.IsMatch(name, "u");
        });
}
