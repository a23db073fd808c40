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
// Population: log population starts from the city's size (a draw that
// rises with central-city status and development) and follows a random
// walk with a city drift; pilot cities' drift is 0.006 a year higher, and
// the 2010 census re-benchmarks every city once. Its yearly growth has
// about the mean and spread of CALIBRATION.md.
//
// Outcomes: every variable but population is the sum, in levels, of a
// baseline part, a dynamic part and (indicators only) a population term:
//
//	level(i, t) = w × base(i) + (1 - w) × inverse(c(t) + s(t) × e(i, t))
//	              - direction × drag × (log pop(i, t) - log pop(i, first year))
//
// with w = 1/2 (baseShare) and inverse the exponential or the logistic
// function of the variable's transformed scale. The baseline part is the
// level a city would have at one anchor year (the year of the lowest
// median, or for a percentage near 100 the highest) given its persistent
// position: for an indicator, a latent dimension level that loads on
// baseline development (weight 0.9 for the economy, 0.3 to 0.4 for the
// other dimensions) plus a city draw; for a control, a covariate of
// development, coastal location and central-city status. It stays fixed
// over the years. The dynamic part e(i, t) is a latent path unrelated to
// pilot selection: a persistent city draw, a city trend, an AR(1) shock
// and year noise (for a control, a city draw and year noise). Its center
// c(t) and spread s(t) are solved, at 2006, 2012 and 2021 and for each
// twin, so that the levels without the policy have the median and the
// interdecile spread of the spec there (data/reference/CALIBRATION.md for
// GDP per capita, road area, industry and finance), and move linearly in
// between. The population term makes more people mean fewer beds, books
// and roads per head; drag is the level change that popDrag latent
// standard deviations make at the baseline median. A level that the
// population term pushes out of the variable's range is clipped to it
// (a few cells in a thousand, counted in the truth file's design).
//
// Why the levels are built so: the index is linear in the levels of the
// indicators, and pilots are selected on development. Had development
// entered the transform of a growing variable, common growth would widen
// the level gap between richer and poorer cities every year, and the
// index of the (richer) pilot cities would rise faster than that of the
// never-pilot cities even without the policy. Here the development gap
// is fixed in levels, what moves over the years is unrelated to pilot
// selection except population, and population enters linearly. So the
// index without the policy follows city effects, year effects and a
// linear function of log population, up to winsorization and gap filling:
// parallel trends hold conditional on the controls, as the study assumes,
// while a difference in differences without controls is biased downward
// by the pilots' faster population growth. The controls other than
// population drift with no city characteristic, so adding them neither
// removes nor adds bias. TestParallelTrends measures all of this over
// many twins.
//
// Policy: every indicator is generated twice, without and with the
// policy. From its pilot year on, the policy shifts the dynamic latent
// path of a pilot city by an amount that depends on the region, the city
// class, the dimension and the years of exposure, times a city multiplier.
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
