import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Checkbox, Col, Drawer, Form, Input, InputNumber, Row, Select, Space, Tag, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  coordinateSystems,
  placeServices,
  placeTypes,
  type AccessMode,
  type AdminPlace,
  type CoordinateSystem,
  type PlaceInput,
  type PlaceService,
  type PlaceType,
} from '@contracts/places';
import { api, ApiError, newIdempotencyKey } from '@ui/api';
import { fromWgs84 } from '@ui/map';
import { useStaff } from '../../shell/session';
import { AreaCascader } from '../../shared/area-cascader';
import { labelOf } from '../../shared/format';
import { usePlaceMutations } from './api';
import { applyPlaceErrors } from './place-errors';
import { hoursExamples, placeAreaLength, servicesByType, typeSections } from './place-rules';
import { isPoint, round7, toWgs84, type LonLat } from './coordinates';
import { LocationPicker } from './location-picker';
import { TypeFields, type GateValues } from './place-type-fields';

export type PlaceEditing = { mode: 'create' } | { mode: 'edit'; place: AdminPlace };

interface Values {
  type?: PlaceType;
  name?: string;
  areaCode?: string;
  address?: string;
  lon?: number;
  lat?: number;
  crs: CoordinateSystem;
  phone?: string;
  hours?: string;
  services: PlaceService[];
  description?: string;
  access?: { mode?: AccessMode; policy?: string };
  gates?: GateValues[];
  details?: {
    sockets?: number;
    price?: string;
    operatorName?: string;
    elevator?: string;
    capacity?: number;
    offers?: { title?: string; priceYuan?: number | null }[];
  };
}

function valuesOf(place: AdminPlace): Values {
  return {
    type: place.type,
    name: place.name,
    areaCode: place.areaCode,
    address: place.address,
    lon: place.lon,
    lat: place.lat,
    crs: 'WGS84',
    phone: place.phone ?? undefined,
    hours: place.hours ?? undefined,
    services: place.services as PlaceService[],
    description: place.description ?? undefined,
    access: place.access ?? undefined,
    gates: place.gates.map((g) => ({ name: g.name, lon: g.lon, lat: g.lat, hours: g.hours ?? undefined })),
    details: { ...place.details, offers: place.details.offers?.map((o) => ({ title: o.title, priceYuan: o.priceYuan ?? null })) },
  };
}

const text = (v: string | undefined) => (v?.trim() ? v.trim() : null);

/** The request body from the form: only the type's own parts, empty texts as null. */
function inputOf(v: Values): PlaceInput {
  const type = v.type!;
  const d = v.details ?? {};
  const details: PlaceInput['details'] = {};
  if (typeSections.charging(type)) {
    if (d.sockets !== undefined && d.sockets !== null) details.sockets = d.sockets;
    if (d.price?.trim()) details.price = d.price.trim();
    if (d.operatorName?.trim()) details.operatorName = d.operatorName.trim();
  }
  if (typeSections.elevator(type) && d.elevator?.trim()) details.elevator = d.elevator.trim();
  if (typeSections.capacity(type) && d.capacity !== undefined && d.capacity !== null) details.capacity = d.capacity;
  if (typeSections.offers(type)) {
    details.offers = (d.offers ?? []).filter((o) => o.title?.trim()).map((o) => ({ title: o.title!.trim(), priceYuan: o.priceYuan ?? null }));
  }
  return {
    type,
    name: v.name!.trim(),
    areaCode: v.areaCode!,
    address: v.address!.trim(),
    lon: v.lon!,
    lat: v.lat!,
    crs: v.crs,
    phone: text(v.phone),
    hours: text(v.hours),
    services: v.services ?? [],
    description: text(v.description),
    access: typeSections.access(type) && v.access?.mode ? { mode: v.access.mode, policy: v.access.policy?.trim() ?? '' } : null,
    // Gates are picked in WGS-84; the server reads them in the body's crs, so they go in that system.
    gates: typeSections.gates(type)
      ? (v.gates ?? []).map((g) => {
          const p = v.crs === 'WGS84' ? { lon: g.lon!, lat: g.lat! } : fromWgs84(v.crs, g.lon!, g.lat!);
          return { name: g.name!.trim(), lon: round7(p.lon), lat: round7(p.lat), hours: text(g.hours) };
        })
      : [],
    details,
  };
}

export function PlaceFormDrawer({ editing, onClose, onSaved }: { editing?: PlaceEditing; onClose(): void; onSaved?(place: AdminPlace): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useStaff();
  const formRef = useRef<FormInstance<Values>>(null);
  const { create, update } = usePlaceMutations();
  const [key, setKey] = useState(newIdempotencyKey);
  const [conflict, setConflict] = useState(false);
  // The version the form was filled from: a reload after a conflict moves it on.
  const [base, setBase] = useState<AdminPlace>();
  const isEdit = editing?.mode === 'edit';

  useEffect(() => {
    setConflict(false);
    setBase(editing?.mode === 'edit' ? editing.place : undefined);
    if (editing) setKey(newIdempotencyKey());
  }, [editing]);

  const initialValues: Partial<Values> = useMemo(
    () =>
      editing?.mode === 'edit'
        ? valuesOf(editing.place)
        : { crs: 'WGS84', services: [], gates: [], areaCode: placeAreaLength(me.areaCode) ? me.areaCode : undefined, details: { offers: [] } },
    [editing, me.areaCode],
  );

  async function submit() {
    const form = formRef.current;
    if (!form) return;
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    v = { ...(form.getFieldsValue(true) as Values), ...v };
    try {
      const body = inputOf(v);
      const saved =
        isEdit && base
          ? await update.mutateAsync({ id: base.id, body: { ...body, version: base.version } })
          : await create.mutateAsync({ body, key });
      void message.success(isEdit ? t('places.form.updated') : t('places.form.created'));
      onSaved?.(saved);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'places.version_conflict') {
        setConflict(true);
        return;
      }
      const rest = applyPlaceErrors(form, e);
      if (rest) void message.error(rest);
    }
  }

  async function reload() {
    if (!base) return;
    try {
      const fresh = await api.get<AdminPlace>(`/api/admin/places/${base.id}`);
      setBase(fresh);
      formRef.current?.resetFields();
      formRef.current?.setFieldsValue(valuesOf(fresh));
      setConflict(false);
      void message.info(t('places.form.reloaded'));
    } catch (e) {
      void message.error(applyPlaceErrors(formRef.current!, e) ?? t('common.loadFailed'));
    }
  }

  return (
    <Drawer
      open={!!editing}
      title={isEdit ? t('places.form.editTitle', { name: editing.place.name }) : t('places.form.createTitle')}
      size="min(880px, 100vw)"
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common:actions.cancel')}</Button>
          <Button type="primary" loading={create.isPending || update.isPending} onClick={() => void submit()}>
            {t('common:actions.save')}
          </Button>
        </Space>
      }
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={t('common:errors.places.version_conflict')}
          description={t('places.form.conflictBody')}
          action={<Button onClick={() => void reload()}>{t('places.form.reload')}</Button>}
        />
      )}
      <Form<Values> ref={formRef} layout="vertical" initialValues={initialValues} preserve={false} data-testid="place-form" scrollToFirstError>
        <PlaceFields rootCode={me.areaCode} rootName={me.areaName} isEdit={isEdit} />
      </Form>
    </Drawer>
  );
}

function PlaceFields({ rootCode, rootName, isEdit }: { rootCode: string; rootName: string; isEdit: boolean }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<Values>();
  const type = Form.useWatch('type', form);
  const [allServices, setAllServices] = useState(false);
  const chosen = (Form.useWatch('services', form) ?? []) as PlaceService[];

  const serviceOptions = useMemo(() => {
    const suggested = type && !allServices ? servicesByType[type] : [...placeServices];
    const shown = new Set<PlaceService>([...suggested, ...chosen]);
    return placeServices.filter((s) => shown.has(s)).map((s) => ({ value: s, label: labelOf('placeServices', s) }));
  }, [type, allServices, chosen]);

  return (
    <>
      <Typography.Title level={5}>{t('places.form.basics')}</Typography.Title>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="type" label={t('places.fields.type')} rules={[{ required: true, message: t('places.form.typeRequired') }]}>
            <Select options={placeTypes.map((p) => ({ value: p, label: labelOf('placeTypes', p) }))} placeholder={t('places.form.typePlaceholder')} disabled={isEdit} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="name" label={t('places.fields.name')} rules={[{ required: true, whitespace: true, message: t('places.form.nameRequired') }]}>
            <Input maxLength={80} showCount autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="areaCode"
            label={t('places.fields.area')}
            extra={t('places.form.areaHint')}
            rules={[
              { required: true, message: t('places.form.areaRequired') },
              { validator: (_, v: string | undefined) => (!v || placeAreaLength(v) ? Promise.resolve() : Promise.reject(new Error(t('places.form.areaLevel')))) },
            ]}
          >
            <AreaCascader rootCode={rootCode} rootName={rootName} allowClear={false} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="phone" label={t('places.fields.phone')}>
            <Input maxLength={30} inputMode="tel" autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="address" label={t('places.fields.address')} rules={[{ required: true, whitespace: true, message: t('places.form.addressRequired') }]}>
            <Input maxLength={200} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>

      <Typography.Title level={5}>{t('places.form.location')}</Typography.Title>
      <LocationFields />

      <Typography.Title level={5}>{t('places.form.hoursAndServices')}</Typography.Title>
      <Form.Item
        name="hours"
        label={t('places.fields.hours')}
        extra={
          <div>
            <div>{t('places.form.hoursHelp')}</div>
            <Space size={4} wrap style={{ marginTop: 4 }}>
              <span>{t('places.form.hoursExamples')}</span>
              {hoursExamples.map((ex) => (
                <Tag key={ex} style={{ cursor: 'pointer' }} onClick={() => form.setFieldValue('hours', ex)}>
                  <code>{ex}</code>
                </Tag>
              ))}
            </Space>
          </div>
        }
      >
        <Input maxLength={300} placeholder="Mo-Fr 08:00-22:00; Sa,Su 10:00-20:00" autoComplete="off" spellCheck={false} />
      </Form.Item>
      <Form.Item
        name="services"
        label={t('places.fields.services')}
        extra={
          <Checkbox checked={allServices} onChange={(e) => setAllServices(e.target.checked)}>
            {t('places.form.allServices')}
          </Checkbox>
        }
      >
        <Select mode="multiple" options={serviceOptions} optionFilterProp="label" placeholder={t('places.form.servicesPlaceholder')} allowClear />
      </Form.Item>

      <TypeFields type={type} />

      <Form.Item name="description" label={t('places.fields.description')}>
        <Input.TextArea rows={3} maxLength={1000} showCount />
      </Form.Item>
    </>
  );
}

/** Longitude, latitude and their coordinate system, with the map: a click or a drag sets the point in WGS-84. */
function LocationFields() {
  const { t } = useTranslation();
  const form = Form.useFormInstance<Values>();
  const lon = Form.useWatch('lon', form);
  const lat = Form.useWatch('lat', form);
  const crs = Form.useWatch('crs', form) as CoordinateSystem | undefined;
  const gates = (Form.useWatch('gates', form) ?? []) as GateValues[];
  const point = isPoint(lon, lat) ? toWgs84(lon!, lat!, crs) : undefined;
  const gatePoints = gates.filter((g) => isPoint(g?.lon, g?.lat)).map((g) => ({ lon: g.lon!, lat: g.lat!, label: g.name || t('places.fields.gate') }));

  const pick = (p: LonLat) => {
    form.setFieldsValue({ lon: round7(p.lon), lat: round7(p.lat), crs: 'WGS84' });
    void form.validateFields(['lon', 'lat']).catch(() => undefined);
  };

  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('places.form.mapHint')}
      </Typography.Paragraph>
      <LocationPicker value={point} onPick={pick} extraPoints={gatePoints} height={320} label={t('places.form.mapLabel')} />
      <Row gutter={16} style={{ marginTop: 12 }}>
        <Col xs={24} md={8}>
          <Form.Item name="lon" label={t('places.fields.lon')} rules={[{ required: true, message: t('places.form.pointRequired') }]}>
            <InputNumber style={{ width: '100%' }} min={-180} max={180} step={0.0001} precision={7} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="lat" label={t('places.fields.lat')} rules={[{ required: true, message: t('places.form.pointRequired') }]}>
            <InputNumber style={{ width: '100%' }} min={-90} max={90} step={0.0001} precision={7} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="crs" label={t('places.fields.crs')} extra={t('places.form.crsHint')}>
            <Select options={coordinateSystems.map((c) => ({ value: c, label: labelOf('coordinateSystems', c) }))} />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
