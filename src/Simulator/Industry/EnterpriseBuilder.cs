using System.Globalization;
using NetTopologySuite.Geometries;
using OneMap.Models.Industry;
using OneMap.Simulator.Geography;
using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.Industry;

/// <summary>An enterprise while the city is built.</summary>
public sealed class EnterpriseInfo
{
    public required Enterprise Record { get; init; }
    public required Coordinate LocationKm { get; init; }
    public required ChainStage Stage { get; init; }
    public required bool Polluting { get; init; }
}

/// <summary>Places ~1,600 enterprises in the 13 chains, mostly in their chains' industrial parks.</summary>
public static class EnterpriseBuilder
{
    public static List<EnterpriseInfo> Build(Rng rng, Land land, AdminMap admin)
    {
        var result = new List<EnterpriseInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in ChainCatalog.Chains)
        {
            var chainRng = rng.Fork(spec.Chain.Id);
            for (var n = 0; n < spec.Enterprises; n++)
            {
                // Upstream and midstream links are the bulk of a manufacturing chain.
                var segmentIndex = chainRng.PickWeighted(spec.Chain.Segments.Select(s => s.Stage == ChainStage.Downstream ? 0.6 : 1.0).ToArray());
                var segment = spec.Chain.Segments[segmentIndex];
                var location = Locate(chainRng, land, admin, spec);
                var grid = admin.GridAt(location.X, location.Y);
                var district = admin.DistrictOfGrid(grid);
                var employees = (int)Math.Clamp(Math.Round(chainRng.LogNormal(45, 1.0)), 3, 12000);
                var output = Math.Round((decimal)(employees * chainRng.LogNormal(38, 0.5)), 1);
                var name = UniqueName(chainRng, names, spec.NameWords[segmentIndex], district.Name);
                var code = UniqueCode(chainRng, codes, district.Code);
                var founded = new DateOnly(1985, 1, 1).AddDays(chainRng.Next(38 * 365));
                result.Add(new EnterpriseInfo
                {
                    Record = new Enterprise(code, name, spec.Chain.Id, segment.Id, segment.IndustryCode, district.Code, output, employees,
                        output >= 2000m, founded, LocalFrame.PointWgs84(location.X, location.Y)),
                    LocationKm = location, Stage = segment.Stage,
                    Polluting = spec.Polluting && segment.Stage != ChainStage.Downstream,
                });
            }
        }
        return result;
    }

    private static Coordinate Locate(Rng rng, Land land, AdminMap admin, ChainSpec spec)
    {
        while (true)
        {
            Coordinate c;
            if (rng.Chance(0.8))
            {
                var park = ChainCatalog.Parks[spec.Parks[rng.PickWeighted(spec.Parks.Select((_, i) => 1.0 / (i + 1)).ToArray())]];
                var centre = LocalFrame.Km(park.Lon, park.Lat);
                c = new Coordinate(centre.X + rng.Normal(0, park.SpreadKm), centre.Y + rng.Normal(0, park.SpreadKm));
            }
            else
            {
                // Workshops scattered in towns: a random grid, weighted by its households.
                var grid = rng.Next(admin.Grids.Count);
                c = admin.RandomPointIn(grid, rng);
            }
            if (land.Contains(c.X, c.Y) && admin.GridAt(c.X, c.Y) >= 0)
            {
                return c;
            }
        }
    }

    private static string UniqueName(Rng rng, HashSet<string> names, string business, string district)
    {
        for (var attempt = 0; ; attempt++)
        {
            var trade = rng.Pick(PlaceNames.TradeNames);
            var form = rng.Chance(0.85) ? "有限公司" : "股份有限公司";
            var prefix = attempt < 5 ? (rng.Chance(0.7) ? "莆田市" : "福建") : "莆田市" + district;
            var name = prefix + trade + business + form;
            if (names.Add(name))
            {
                return name;
            }
        }
    }

    // A valid unified social credit code: 9 (market regulator), 1 (enterprise), division, organization code, check.
    private static string UniqueCode(Rng rng, HashSet<string> codes, string division)
    {
        const string bodyAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        while (true)
        {
            var body = new char[8];
            body[0] = rng.Chance(0.6) ? 'M' : (char)('0' + rng.Between(5, 7));
            for (var i = 1; i < 8; i++)
            {
                body[i] = rng.Chance(0.85) ? (char)('0' + rng.Next(10)) : bodyAlphabet[10 + rng.Next(bodyAlphabet.Length - 10)];
            }
            var bodyText = new string(body);
            var organization = bodyText + CreditCode.OrganizationCheckCharacter(bodyText);
            // GB 32100 has no I, O, S, V, Z; an organization code ending in such a character cannot occur, so draw again.
            if (organization.Any(c => !bodyAlphabet.Contains(c, StringComparison.Ordinal)))
            {
                continue;
            }
            var first17 = "91" + division + organization;
            var code = first17 + CreditCode.CheckCharacter(first17);
            if (codes.Add(code))
            {
                return code;
            }
        }
    }

    /// <summary>Enterprise-support policies with eligibility criteria aimed at chains' weak links.</summary>
    public static List<Policy> Policies(Rng rng)
    {
        var policies = new List<Policy>();
        var start = new DateOnly(2024, 1, 1);
        var templates = new (string Title, string Department, string[] Chains, ChainStage[] Stages, string[] Prefixes, int? MinEmp, int? MaxEmp, decimal? MinOutput, bool Above, decimal Subsidy)[]
        {
            ("鞋服产业链上游鞋材企业技术改造补助", "D02", ["C01"], [ChainStage.Upstream], [], 20, null, 500m, false, 200m),
            ("鞋服品牌培育奖励", "D18", ["C01"], [ChainStage.Midstream, ChainStage.Downstream], ["19", "18"], null, null, 5000m, true, 100m),
            ("电子信息产业链补链强链专项资金", "D02", ["C02"], [ChainStage.Upstream], ["398"], 30, null, null, false, 300m),
            ("显示器件企业研发费用加计补助", "D04", ["C02"], [ChainStage.Midstream], ["3974", "3975"], null, null, 1000m, false, 150m),
            ("工艺美术大师工作室扶持", "D19", ["C03"], [], ["243"], null, 50, null, false, 20m),
            ("金银珠宝产业集聚区入园奖励", "D24", ["C04"], [ChainStage.Midstream], ["2438"], 10, null, null, false, 50m),
            ("食品加工企业质量认证补助", "D24", ["C05"], [ChainStage.Midstream], ["13", "14", "15"], null, null, null, false, 10m),
            ("古典家具产业数字化改造补助", "D02", ["C06"], [ChainStage.Midstream], ["2110"], 20, null, 800m, false, 80m),
            ("高端装备首台套保险补偿", "D02", ["C07"], [ChainStage.Midstream], ["344"], null, null, 2000m, true, 500m),
            ("纺织化纤绿色印染改造补助", "D12", ["C08"], [ChainStage.Midstream], ["1752"], null, null, null, false, 120m),
            ("新材料产业首批次应用奖励", "D04", ["C09"], [], [], null, null, 1000m, false, 200m),
            ("生物医药创新药研发补助", "D20", ["C10"], [ChainStage.Upstream, ChainStage.Midstream], ["27"], null, null, null, false, 500m),
            ("清洁能源项目投产奖励", "D01", ["C11"], [], [], null, null, 10000m, true, 1000m),
            ("海洋渔业设施升级补助", "D17", ["C12"], [ChainStage.Upstream], ["04"], null, null, null, false, 30m),
            ("新能源电池产业链招商引资奖励", "D01", ["C13"], [], [], 50, null, null, false, 800m),
            ("规上工业企业增产增效奖励", "D02", [], [ChainStage.Midstream], [], null, null, 2000m, true, 50m),
            ("中小微企业稳岗补贴", "D09", [], [], [], null, 100, null, false, 5m),
            ("专精特新中小企业认定奖励", "D02", [], [ChainStage.Upstream, ChainStage.Midstream], [], 20, 300, 1000m, false, 50m),
            ("外贸企业出口信用保险保费补助", "D18", ["C01", "C03", "C06"], [ChainStage.Downstream, ChainStage.Midstream], [], null, null, null, false, 30m),
            ("高新技术企业认定奖励", "D04", ["C02", "C09", "C10", "C13"], [], [], null, null, null, false, 30m),
        };
        for (var i = 0; i < templates.Length; i++)
        {
            var t = templates[i];
            var from = start.AddDays(rng.Next(150));
            policies.Add(new Policy(
                "POL-2024-" + (i + 1).ToString("000", CultureInfo.InvariantCulture), t.Title, t.Department,
                new PolicyEligibility(t.Chains, t.Stages, t.Prefixes, [], t.MinEmp, t.MaxEmp, t.MinOutput, t.Above),
                t.Subsidy, from, from.AddDays(rng.Between(180, 540))));
        }
        return policies;
    }
}
