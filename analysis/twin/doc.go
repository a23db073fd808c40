// Package twin generates the synthetic twin of the smart-city pilot study:
// a city-year panel shaped like the China City Statistical Yearbook extract
// the study uses, with a pilot list and the true effects of the policy on
// the composite governance index. It is NOT real data; every file it writes
// says SYNTHETIC in its name.
//
// # Design
//
// Cities: the prefecture-level cities (地级市) of the reference table,
// leaving out the four municipalities, autonomous prefectures, leagues and
// prefectures (their yearbook coverage is thin), cities that became
// prefecture-level after 2006 (毕节, 铜仁, 海东, 三沙, 儋州, 吐鲁番, 哈密, and
// the Tibetan cities but Lhasa), cities whose boundaries changed with
// the abolition of 巢湖 (2011) or the merger of 莱芜 into 济南 (2019): 合肥,
// 芜湖, 马鞍山, 济南, and the provinces of Tibet, Qinghai and Xinjiang, which
// keep at most two eligible cities each. Of the 273 eligible cities, all
// central cities (provincial capitals and sub-provincial cities) are kept,
// and the rest of the sample is spread over provinces in proportion to
// their eligible cities (largest remainder) and drawn within each province
// with a fixed generator, so the city list does not depend on the seed.
//
// Pilots: the cities are ranked by a logit score on baseline income,
// population, coastal location and central-city status plus Gumbel noise
// (sampling without replacement with probabilities proportional to the
// exponentiated score); the top of the ranking forms the 2012 batch, the
// next the 2013 batch, then the 2015 batch; the rest never pilot.
//
// Outcomes: five latent dimension factors per city and year (economy,
// livelihood, ecology, culture, municipal services) combine a city's
// baseline development, a dimension-specific level, a city-specific trend,
// an AR(1) shock and a drag from population growth. Each indicator of the
// codebook is a calibrated transform (log or logit) of its dimension's
// factor plus city and year noise. Every indicator is generated twice:
// without the policy and with it; the policy shifts the latent factors of a
// pilot city from its pilot year on, by an amount that depends on the
// region, the city class, the dimension and the years of exposure.
//
// Dirt: about 2% of cells missing in runs of one to three years and about
// 0.5% gross outliers, the same cells in both potential-outcome panels.
//
// Truth: both panels go through the study's cleaning (gap filling, then
// winsorization with the bounds of the observed panel held fixed) and are
// scored with the index weights and min-max scaling of the observed panel.
// The true effect of a city-year is the difference of the two indices;
// Truth averages it over the cells each number describes.
package twin
