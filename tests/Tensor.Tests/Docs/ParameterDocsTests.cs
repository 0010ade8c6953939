using System.Reflection;
using System.Xml.Linq;
using Xunit;

namespace Tensors.Tests.Docs;

/// <summary>
/// Every public method, constructor and indexer of the packages documents each of its parameters, and an optional
/// parameter says what its default means. The compiler only checks members that have some param tags (CS1573); this
/// closes the gap for members that have none, reading the XML documentation files the builds write beside the
/// assemblies. Members are matched by their exact documentation IDs (<see cref="DocIds"/>), overload by overload.
/// </summary>
public class ParameterDocsTests
{
    public static TheoryData<string> Assemblies => new() { "Tensor", "Tensor.Cuda" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void EveryPublicParameterIsDocumented(string assemblyName)
    {
        var problems = new List<string>();
        foreach (var (id, parameters, docs) in PublicMembersWithParameters(assemblyName))
        {
            if (docs is null) { problems.Add($"{id}: no documentation entry"); continue; }
            var missing = parameters.Where(p => string.IsNullOrWhiteSpace(ParamText(docs, p.Name!))).Select(p => p.Name).ToList();
            if (missing.Count > 0) problems.Add($"{id}: no <param> for {string.Join(", ", missing)}");
        }
        Assert.True(problems.Count == 0, $"{problems.Count} public members lack <param> docs:\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void OptionalParametersStateTheirDefault(string assemblyName)
    {
        var problems = new List<string>();
        foreach (var (id, parameters, docs) in PublicMembersWithParameters(assemblyName))
            foreach (var p in parameters.Where(p => p.HasDefaultValue && docs is not null))
                if (ParamText(docs!, p.Name!) is { } text && !text.Contains("default", StringComparison.OrdinalIgnoreCase))
                    problems.Add($"{id}: <param name=\"{p.Name}\"> does not say its default ({Format(p.DefaultValue)})");
        Assert.True(problems.Count == 0, $"{problems.Count} optional parameters do not document their default:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void DocIdsMatchTheCompilers()
    {
        // A method, an overload with an array, a generic method, a conversion operator, an indexer and a nullable.
        Assert.Equal("M:Tensors.Tensor.Sum(System.Int32[],System.Boolean)", DocIds.Of(typeof(Tensor).GetMethod("Sum", [typeof(int[]), typeof(bool)])!));
        Assert.Equal("M:Tensors.Tensor.From``1(``0[],System.Int32[])",
            DocIds.Of(typeof(Tensor).GetMethods().Single(m => m.Name == "From" && m.IsGenericMethodDefinition && m.GetParameters().Length == 2)));
        Assert.Equal("M:Tensors.Scalar.op_Implicit(System.Int64)~Tensors.Scalar",
            DocIds.Of(typeof(Scalar).GetMethods().Single(m => m.Name == "op_Implicit" && m.GetParameters()[0].ParameterType == typeof(long))));
        Assert.Equal("P:Tensors.Tensor.At(Tensors.TensorIndex[])", DocIds.Of(typeof(Tensor).GetProperty("At")!));
        Assert.Equal("M:Tensors.Tensor.Clamp(System.Nullable{Tensors.Scalar},System.Nullable{Tensors.Scalar})",
            DocIds.Of(typeof(Tensor).GetMethod("Clamp")!));
    }

    // Every public or protected method, constructor and indexer with parameters of the assembly's public types, with
    // its XML entry (null when there is none); members documented by <inheritdoc/> are checked where they inherit from.
    private static IEnumerable<(string Id, ParameterInfo[] Parameters, XElement? Docs)> PublicMembersWithParameters(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var xmlPath = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.True(File.Exists(xmlPath), $"{xmlPath} is missing: the library projects generate their XML docs.");
        var entries = XDocument.Load(xmlPath).Descendants("member").ToDictionary(m => (string)m.Attribute("name")!);
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes().Where(IsVisible))
        {
            var members = type.GetMethods(declared).Where(m => IsVisible(m) && (!m.IsSpecialName || m.Name.StartsWith("op_")))
                .Select(m => (Member: (MemberInfo)m, Id: DocIds.Of(m), Parameters: m.GetParameters()))
                .Concat(type.GetConstructors(declared).Where(IsVisible).Select(c => ((MemberInfo)c, DocIds.Of(c), c.GetParameters())))
                .Concat(type.GetProperties(declared)
                    .Where(p => p.GetIndexParameters().Length > 0 && (p.GetMethod ?? p.SetMethod) is { } accessor && IsVisible(accessor))
                    .Select(p => ((MemberInfo)p, DocIds.Of(p), p.GetIndexParameters())));
            foreach (var (member, id, parameters) in members)
            {
                if (parameters.Length == 0 || DocIds.IsSynthesized(member)) continue;
                var docs = entries.GetValueOrDefault(id);
                if (docs?.Element("inheritdoc") is not null) continue;
                yield return (id, parameters, docs);
            }
        }
    }

    private static string? ParamText(XElement docs, string name) =>
        docs.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name)?.Value;

    private static string Format(object? value) => value switch { null => "null", string s => $"\"{s}\"", bool b => b ? "true" : "false", _ => value.ToString()! };

    private static bool IsVisible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static bool IsVisible(Type type) =>
        type.IsPublic || (type.IsNestedPublic && IsVisible(type.DeclaringType!)) || (type.IsNestedFamily && IsVisible(type.DeclaringType!));
}
